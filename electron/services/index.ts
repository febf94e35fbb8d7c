import os from 'node:os';
import path from 'node:path';
import type { AppInfo } from '../../shared/domain';
import { TimelineAnchors } from './anchors';
import { systemClock, type Clock } from './clock';
import { DATABASE_FILE, openDatabase, type Db } from './db/open';
import { EventBus } from './events';
import { ContactDirectory, EscalationPolicyFile, EscalationService, OnCallRotation, UpdateService } from './escalation';
import { EvidenceArchive, EvidenceService } from './evidence';
import { osIdentity, type Identity } from './identity';
import { IncidentService } from './incidents';
import { MonitorService, type MonitorOptions } from './monitor';
import type { FetchText, MetricsService } from './metrics';
import type { AlertProcessOptions } from './gauges/timeline-sink';
import { createSignals } from './metrics/wiring';
import type { RiskService } from './risks';
import { FileSecretStore, type SecretStore } from './probes/secret-store';
import { ReportService, type PdfRenderer } from './reports';
import { EvidenceTranscriptSink, IncidentTerminals, RunbookRunService, RunbookSettingsStore, RunExecutor } from './runbook-runs';
import { findBundledRunbooksDir } from './runbooks';
import type { TerminalServiceDeps } from './terminals';
import { SlaMonitor } from './sla-monitor';
import { TargetService, type SshSettings } from './targets';
import { TargetGauges } from './targets/gauges';
import type { LargeThreshold } from './evidence/estimate';
import { RemoteEvidence } from './evidence/remote';
import { DeviceChain, TeamSync } from './team';
import { listRemoteEvidence } from './team/remote-evidence';
import { TimelineService } from './timeline';
import { TimelinePages } from './timeline-pages';
import { ArtifactPages } from './evidence/artifact-pages';

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
  /** The zone reports print times in (IANA name); default this machine's. */
  readonly timeZone?: string;
  /** Bundled runbooks folder; default found by walking up from the app (runbooks/initial-response.md). */
  readonly runbooksDir?: string;
  /** Terminal service overrides (tests: grace periods, a fake pty). */
  readonly terminals?: Partial<TerminalServiceDeps>;
  /** Above these a files collection needs confirmLarge (default 5,000 files or 500 MiB). */
  readonly largeCollection?: LargeThreshold;
  /** ssh overrides for remote targets (tests: a private `-F` config, short timeouts). */
  readonly ssh?: Partial<Omit<SshSettings, 'clock'>>;
  /** Service metrics overrides (tests: a fetcher, the wait between the two scrapes of a fresh reading). */
  readonly metrics?: {
    readonly fetchText?: FetchText;
    readonly sleep?: (ms: number) => Promise<void>;
    /** Tests: this process as the once-per-profile alert gate sees it (two instances on one profile). */
    readonly alertProcess?: AlertProcessOptions;
  };
}

/** Everything the handlers need, wired once per process (app, browser host, CLI, tests). */
export interface Services {
  readonly home: string;
  readonly db: Db;
  readonly clock: Clock;
  readonly identity: Identity;
  readonly events: EventBus;
  readonly timeline: TimelineService;
  /** Chain heads and the incident count, HMAC-keyed, outside the database (docs/integrity.md). */
  readonly anchors: TimelineAnchors;
  /** This profile's device identity and every device's signed chain per incident (docs/team.md). */
  readonly devices: DeviceChain;
  /** Team sync through Redis Streams; `team.start()` runs it in the app and serve (docs/team.md). */
  readonly team: TeamSync;
  /** The UI's paged, filtered reads of one incident's timeline. */
  readonly timelinePages: TimelinePages;
  readonly incidents: IncidentService;
  readonly sla: SlaMonitor;
  /** Gauges + probes; built here, started only by the app and `serve` (`monitor.start()`). */
  readonly monitor: MonitorService;
  readonly secrets: SecretStore;
  readonly reports: ReportService;
  /** Evidence store and collectors; `evidence.ready()` (crash recovery) runs once before first use. */
  readonly evidence: EvidenceService;
  /** The Evidence tab's paged, filtered reads of an incident's artifacts. */
  readonly artifactPages: ArtifactPages;
  /** Custody-logged view, search, verification and BagIt export of the evidence. */
  readonly evidenceArchive: EvidenceArchive;
  /** Runbook catalog, settings and checklist runs. */
  readonly runbooks: RunbookRunService;
  /** Run / Run all: a step's commands in its terminal. */
  readonly runner: RunExecutor;
  /** node-pty terminals owned by incidents. */
  readonly terminals: IncidentTerminals;
  /** Remote targets (SSH hosts) and the incidents' affected targets. */
  readonly targets: TargetService;
  /** Evidence collected from a remote target. */
  readonly remoteEvidence: RemoteEvidence;
  /** 1 Hz gauges of remote targets, alerts to the incidents that list them. */
  readonly targetGauges: TargetGauges;
  /** Contacts directory, on-call rotation, escalations and their suggestions (issue 17). */
  readonly contacts: ContactDirectory;
  readonly rotation: OnCallRotation;
  /** Escalation state and suggestions; `escalation.start()` watches open incidents (app and serve). */
  readonly escalation: EscalationService;
  /** Stakeholder update drafts and the record of updates sent. */
  readonly updates: UpdateService;
  /** Service metrics (seed 000's indicators); `metrics.start()` polls the sources (app and serve). */
  readonly metrics: MetricsService;
  /** The risk register, its early warnings, incident links and re-scoring (issue 21). */
  readonly risks: RiskService;
  info(transport: AppInfo['transport']): AppInfo;
  close(): void;
}

export function createServices(options: ServicesOptions): Services {
  const clock = options.clock ?? systemClock;
  const identity = options.identity ?? osIdentity();
  const databasePath = path.join(options.home, DATABASE_FILE);
  const db = openDatabase(databasePath, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
  const events = new EventBus();
  const secrets = options.secrets ?? new FileSecretStore(options.home);
  // Loads (or creates) its key from the secret store at once; heads committed before that are
  // kept and written when it arrives. Callers that verify first await `anchors.ready()`.
  const anchors = new TimelineAnchors({ home: options.home, db, clock, secrets });
  // Team mode (issue 16): this profile's device id and Ed25519 key; every entry joins its device chain.
  const devices = new DeviceChain({ db, clock, secrets, name: identity.host });
  const timeline = new TimelineService(db, clock, identity, events, anchors, devices);
  // `incidents` is made just below; the view is only read once a merge has happened.
  const team = new TeamSync({ db, clock, secrets, devices, timeline, events, incidentView: (id) => incidents.get(id), home: options.home, evidenceBlob: (id, sha) => evidence.storeFor(id).pathFor(sha) });
  const timelinePages = new TimelinePages(db);
  const artifactPages = new ArtifactPages(db);
  const incidents = new IncidentService(db, clock, timeline, events);
  const sla = new SlaMonitor(db, clock, incidents, timeline, events);
  const monitor = new MonitorService({ db, clock, events, timeline, incidents, secrets, ...(options.monitor ? { options: options.monitor } : {}) });
  const reports = new ReportService({ db, timeline, incidents, clock, home: options.home, ...(options.pdf ? { pdf: options.pdf } : {}), ...(options.timeZone ? { timeZone: options.timeZone } : {}) });
  const evidence = new EvidenceService({ db, timeline, clock, identity, home: options.home, largeCollection: options.largeCollection });
  const evidenceArchive = new EvidenceArchive(evidence, timeline, `Firebreak ${options.version ?? '0.0.0'}`, (id) => listRemoteEvidence(db, id, devices.deviceId));
  const runbooksDir = options.runbooksDir ?? findBundledRunbooksDir(__dirname) ?? findBundledRunbooksDir(process.cwd());
  const runbooks = new RunbookRunService({
    db,
    clock,
    identity,
    timeline,
    incidents,
    events,
    secrets,
    settings: new RunbookSettingsStore(options.home),
    home: options.home,
    // `targets` is made further down; the run service asks only when a run starts or moves.
    incidentTargets: (incidentId) => targets.incidentTargets(incidentId),
    ...(runbooksDir ? { bundledDir: runbooksDir } : {}),
  });
  const terminals = new IncidentTerminals({
    home: options.home,
    clock,
    events,
    timeline,
    incidents,
    // Command transcripts go into the evidence store, with custody like any other evidence.
    transcripts: new EvidenceTranscriptSink(evidence, options.home),
    ...(options.terminals ? { terminal: options.terminals } : {}),
  });
  const runner = new RunExecutor(runbooks, terminals.service);
  const targets = new TargetService({ db, clock, timeline, events, home: options.home, ...(options.ssh ? { ssh: options.ssh } : {}) });
  const remoteEvidence = new RemoteEvidence(evidence, targets);
  const targetGauges = new TargetGauges({ db, clock, timeline, targets, events });
  const contacts = new ContactDirectory(db);
  const rotation = new OnCallRotation(db, clock, contacts);
  const escalation = new EscalationService({ db, clock, incidents, timeline, contacts, rotation, events, policy: new EscalationPolicyFile(options.home) });
  const updates = new UpdateService({ db, escalation, clock, incidents, timeline, contacts, home: options.home });
  const signals = createSignals({
    home: options.home,
    db,
    clock,
    identity,
    events,
    timeline,
    incidents,
    alertTarget: () => monitor.target.effective(),
    resolveTarget: (name) => targets.get(name),
    ...(options.metrics?.fetchText ? { fetchText: options.metrics.fetchText } : {}),
    ...(options.metrics?.sleep ? { sleep: options.metrics.sleep } : {}),
    ...(options.metrics?.alertProcess ? { alertProcess: options.metrics.alertProcess } : {}),
  });
  return {
    home: options.home,
    db,
    clock,
    identity,
    events,
    timeline,
    anchors,
    devices,
    team,
    timelinePages,
    artifactPages,
    incidents,
    sla,
    monitor,
    secrets,
    reports,
    evidence,
    evidenceArchive,
    runbooks,
    runner,
    terminals,
    targets,
    remoteEvidence,
    targetGauges,
    contacts,
    rotation,
    escalation,
    updates,
    metrics: signals.metrics,
    risks: signals.risks,
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
      escalation.stop();
      void team.stop();
      signals.close();
      // Before the database closes: the monitor writes its open history bucket.
      monitor.close();
      // Ends every pty (SIGHUP to their sessions now, SIGKILL after the grace period).
      void terminals.close();
      // `ssh -O exit` for the masters this process opened (ControlPersist ends any other).
      targetGauges.close();
      void targets.close();
      // This device's links appended in the last turn of the event loop, signed before the database closes.
      devices.signQueued();
      db.close();
    },
  };
}
