import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createServices, type Services } from '../../../../electron/services';
import { tempHome } from '../../../support/temp-home';

// A runbook's promql block with its variables: a placeholder nobody filled in is never sent.
describe('PromQL with unfilled runbook variables', () => {
  let home: ReturnType<typeof tempHome>;
  let services: Services;
  let asked: string[];

  beforeEach(() => {
    home = tempHome();
    asked = [];
    services = createServices({
      home: home.dir,
      identity: { actor: 'alice', host: 'laptop-1' },
      metrics: {
        fetchText: async (url) => {
          asked.push(url);
          return { body: '{"status":"success","data":{"resultType":"vector","result":[]}}', contentType: 'application/json' } as never;
        },
      },
    });
    services.metrics.addSource({ name: 'prom', kind: 'prometheus', url: 'http://127.0.0.1:9/' });
  });
  afterEach(() => {
    services.close();
    home.cleanup();
  });

  it('refuses the query, naming the variables, and asks Prometheus nothing', async () => {
    await expect(services.metrics.query({ query: 'sum(rate(api_errors_total{job="${SERVICE}",env="${ENV}"}[5m]))' })).rejects.toThrow(
      /query: \$\{SERVICE\}, \$\{ENV\} not filled in/,
    );
    expect(asked).toEqual([]);
    // Braces of PromQL itself are not placeholders.
    await services.metrics.query({ query: 'sum(rate(api_errors_total{job="api"}[5m]))' });
    expect(asked).toHaveLength(1);
  });
});
