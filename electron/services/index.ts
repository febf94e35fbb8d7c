import os from 'node:os';
import path from 'node:path';
import type { AppInfo } from '../../shared/domain';
import { systemClock, type Clock } from './clock';
import { DATABASE_FILE, openDatabase, type Db } from './db/open';
import { EventBus } from './events';
import { osIdentity, type Identity } from './identity';
import { IncidentService } from './incidents';
import { MonitorService, type MonitorOptions } from './monitor';
import { FileSecretStore, type SecretStore } from './probes/secret-store';
import { ReportService, type PdfRenderer } from './reports';
import { SlaMonitor } from './sla-monitor';
import { TimelineService } from './timeline';

export interface ServicesOptions {
  readonly home: string;
  readonly clock?: Clock;
  readonly identity?: Identity;
  readonly nativeBinding?: string;
  readonly version?: string;
  /** Probe passwords: the app passes a safeStorage-backed store; default an encrypted file in the profile. */
  readonly secrets?: SecretStore;
  /** Gauge source, timers, probe implementations (tests inject an OverridableSource here). */
  readonly monitor?: MonitorOptions;
  /** PDF printing: the app passes Electron's printToPDF; default the installed Chromium. */
  readonly pdf?: PdfRenderer;
}

/** Everything the handlers need, wired once per process (app, browser host, CLI, tests). */
export interface Services {
  readonly home: string;
  readonly db: Db;
  readonly clock: Clock;
  readonly identity: Identity;
  readonly events: EventBus;
  readonly timeline: TimelineService;
  readonly incidents: IncidentService;
  readonly sla: SlaMonitor;
  /** Gauges + probes; built here, started only by the app and `serve` (`monitor.start()`). */
  readonly monitor: MonitorService;
  readonly secrets: SecretStore;
  readonly reports: ReportService;
  info(transport: AppInfo['transport']): AppInfo;
  close(): void;
}

export function createServices(options: ServicesOptions): Services {
  const clock = options.clock ?? systemClock;
  const identity = options.identity ?? osIdentity();
  const databasePath = path.join(options.home, DATABASE_FILE);
  const db = openDatabase(databasePath, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
  const events = new EventBus();
  const timeline = new TimelineService(db, clock, identity, events);
  const incidents = new IncidentService(db, clock, timeline, events);
  const sla = new SlaMonitor(db, clock, incidents, timeline, events);
  const secrets = options.secrets ?? new FileSecretStore(options.home);
  const monitor = new MonitorService({ db, clock, events, timeline, incidents, secrets, ...(options.monitor ? { options: options.monitor } : {}) });
  const reports = new ReportService({ db, timeline, incidents, clock, home: options.home, ...(options.pdf ? { pdf: options.pdf } : {}) });
  return {
    home: options.home,
    db,
    clock,
    identity,
    events,
    timeline,
    incidents,
    sla,
    monitor,
    secrets,
    reports,
    info: (transport) => ({
      version: options.version ?? '0.0.0',
      home: options.home,
      databasePath,
      user: identity.actor,
      host: identity.host,
      platform: `${os.platform()} ${os.release()}`,
      transport,
    }),
    close: () => {
      sla.stop();
      // Before the database closes: the monitor writes its open history bucket.
      monitor.close();
      db.close();
    },
  };
}
