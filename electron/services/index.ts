import os from 'node:os';
import path from 'node:path';
import type { AppInfo } from '../../shared/domain';
import { systemClock, type Clock } from './clock';
import { DATABASE_FILE, openDatabase, type Db } from './db/open';
import { EventBus } from './events';
import { osIdentity, type Identity } from './identity';
import { IncidentService } from './incidents';
import { SlaMonitor } from './sla-monitor';
import { TimelineService } from './timeline';

export interface ServicesOptions {
  readonly home: string;
  readonly clock?: Clock;
  readonly identity?: Identity;
  readonly nativeBinding?: string;
  readonly version?: string;
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
  return {
    home: options.home,
    db,
    clock,
    identity,
    events,
    timeline,
    incidents,
    sla,
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
      db.close();
    },
  };
}
