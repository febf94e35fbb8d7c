import fs from 'node:fs';
import path from 'node:path';
import { createDispatch } from '../../../electron/dispatch';
import { createHandlers } from '../../../electron/handlers';
import { startHost, type RunningHost } from '../../../electron/host/server';
import { createServices, type Services, type ServicesOptions } from '../../../electron/services';
import { tempHome } from '../../support/temp-home';

export const RENDERER_DIR = path.resolve(__dirname, '../../../out/renderer');

export interface TestHost {
  readonly host: RunningHost;
  readonly services: Services;
  stop(): Promise<void>;
}

/**
 * The real browser host over a temp profile, serving the built renderer (npm run build).
 * `options` reach createServices (e.g. a forced gauge source); `startMonitor` runs the
 * gauges and probes as `firebreak serve` does.
 */
export type TestHostOptions = Omit<ServicesOptions, 'home'> & { startMonitor?: boolean };

export async function startTestHost(options: TestHostOptions = {}): Promise<TestHost> {
  if (!fs.existsSync(path.join(RENDERER_DIR, 'index.html'))) {
    throw new Error(`the renderer is not built (${RENDERER_DIR}); run \`npm run build\` first — \`npm test\` does`);
  }
  const home = tempHome('firebreak-e2e-');
  const { startMonitor, ...serviceOptions } = options;
  const services = createServices({ ...serviceOptions, home: home.dir });
  if (startMonitor) await services.monitor.start();
  const host = await startHost({ dispatch: createDispatch(createHandlers(services, 'websocket')), events: services.events, rendererDir: RENDERER_DIR });
  return {
    host,
    services,
    stop: async () => {
      await host.close();
      services.close();
      home.cleanup();
    },
  };
}
