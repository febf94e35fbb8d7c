import fs from 'node:fs';
import path from 'node:path';
import { createDispatch } from './dispatch';
import { createHandlers } from './handlers';
import { createServices } from './services';
import { DatabaseTooNewError } from './services/db/open';
import { resolveHome } from './services/home';
import { UsageError, parse } from './cli/args';
import { backupCommand, restoreCommand } from './cli/backup';
import { startAutoBackups } from './services/backup';
import { CommandFailed, correctCommand, incidentCommand, noteCommand, timelineCommand, type CliContext } from './cli/commands';
import { contactsCommand, escalateCommand, escalationPolicyCommand, oncallCommand, updateCommand } from './cli/escalation';
import { collectCommand, evidenceCommand, exportCommand, verifyCommand } from './cli/evidence';
import { probeCommand } from './cli/probe';
import { metricsCommand, reportCommand } from './cli/report';
import { runbookCommand } from './cli/runbook';
import { metricsSourceCommand, riskCommand, signalsCommand } from './cli/signals';
import { gaugesCommand, targetCommand } from './cli/targets';
import { teamCommand } from './cli/team';
import { neutraliseControls } from './cli/safe-text';

const USAGE = `firebreak — offline incident-response console

Usage: firebreak <command> [options]            (every command takes --home DIR)

  serve [--port N]                         serve the console in your browser (prints its URL)
  incident new --title T --severity S      open an incident (severity: critical|high|medium|low or P0–P3)
        [--summary S] [--impact I] [--responder R] [--service X]… [--tag X]… [--detected-at ISO] [--json]
  incident list [--open] [--status S]… [--severity S]… [-q TEXT] [--json]
  incident show ID [--json]
  incident status ID STATUS [--reason R] [--at ISO]
        STATUS: detected → acknowledged → investigating → mitigated → resolved → closed
  incident severity ID SEVERITY [--reason R]
  incident reopen ID --reason R             a resolved or closed incident back to investigating (its own entry)
  note ID TEXT                             append a note to the timeline
  correct ID ENTRY TEXT                    append a correction of timeline entry #ENTRY
  timeline ID [--json]                     show the timeline
  timeline verify [ID] [--heads]           recompute the hash chains, compare them with the anchors (docs/integrity.md);
                                           exit 1 naming the first bad entry and what is missing; also every
                                           device's signed chain (forged entry, broken chain, gap; docs/team.md)
  timeline export [ID] --format csv|json [--out FILE] [--kind K]… [--since T] [--until T]
                                           the timeline with its hashes, for spreadsheets and other tools
  report ID [--template NAME] [--format md|html|pdf] [--out FILE] [--paper A4|Letter] [--no-redact]
        [--redact-pattern REGEX]… [--lang en|ja]  incident report / postmortem (English or Japanese); templates: report templates
  metrics [--since T] [--until T] [--json] MTTA, MTTR, SLA compliance, rollbacks (T: ISO time or 7d, 12h)
  collect ID --files GLOB… [--tail N] [--since T] [--until T] [--grep RE [-i]] [--level error|warn|info|debug] [--max-bytes N] [--json]
        [--yes]                            above 5,000 files or 500 MB the estimate is printed and nothing is
                                           collected (exit 1) unless --yes confirms it
  collect ID --preset [--tail N] [--since T] [--grep RE] [--level L]   the platform's usual logs (+ journal)
  collect ID --snapshot                    OS, CPU/memory/disk/network, processes, ports, users, services
  collect ID --target HOST --files GLOB… [--tail N] [--since T] [--until T] [--grep RE [-i]] [--level L]   files from a remote target (server hash compared)
  collect ID --target HOST --snapshot      processes, ports, services, disk, memory, recent changes of a target
  target add HOST [--no-connect]           an ssh alias or user@host[:port]; connects and shows an unknown host key
  target list [--json] | target remove HOST | target connect HOST
  target accept HOST SHA256:…              trust the host key with exactly this fingerprint (never a changed one)
  incident targets ID [add|remove|pin|unpin HOST]  affected hosts (local: this laptop) and alert pins (on its timeline)
  gauges --target HOST --once [--json]     CPU, memory, load, disks, I/O, network of a target (from /proc)
  collect ID --changes DIR… --since T [--until T]   files modified in the window, newest first
  evidence ID [--retracted] [--json]       the incident's artifacts with their sha256 (--retracted: also retracted ones)
  evidence retract ARTIFACT-ID --reason T  take mistaken evidence back: kept in the store and on the timeline,
                                           left out of reports and exports
  export ID [--out PATH] [--tar|--zip] [--include-retracted] [--json]
                                           BagIt bag of the evidence, timeline and record (retracted
                                           evidence left out unless --include-retracted: then marked)
  verify PATH [--json]                     check a bag (folder, .tar, .zip); exit 1 naming each bad file
  verify --store ID [--json]               re-hash the live evidence store against the timeline
  probe [--json]                           run the configured service probes once; exit 1 danger, 2 down
  probe export [FILE] | probe import FILE  probe settings without passwords
  runbook lint [PATH…] [--json]            check runbooks (default: bundled + your folders); exit 1 on errors
  runbook list [--json]                    the runbooks the console offers
  runbook runs INCIDENT [--json]           the incident's runbook runs and where each runs (local or a target)

  contacts [list] [--json]                 the contacts directory (levels, hours of cover, how to reach)
  contacts add --name N [--level 1|2|3] [--kind person|team|vendor] [--role R] [--phone P] [--email E]
        [--chat C] [--tz ZONE] [--days mon-fri --start 09:00 --end 18:00] [--notes T] [--json]
  contacts remove NAME | contacts import FILE.yaml|.csv | contacts export [--format yaml|csv] [--out FILE]
  oncall [--at TIME] [--json]              who is on call now (or at TIME), and the next turn
  oncall import FILE.csv|.ics              replace the rotation (CSV: starts_at,ends_at,primary,secondary,time_zone)
  oncall override --name N --from T --to T --reason R [--role primary|secondary] | oncall override --remove ID
  escalate ID --level N [--contact NAME] [--via phone|email|chat] --reason R [--json]
  escalate ID [--ack ENTRY] [--json]       the incident's level, escalations and suggestions; --ack records an acknowledgement
  update ID [--lang en|ja] [--out FILE] [--json]          draft a stakeholder update
  update ID --sent [--lang en|ja] [--out FILE.eml|.md] [--text FILE] [--json]   record the update sent (with its sha256)
  escalation-policy [--cadence SEVERITY=MINUTES] [--json]   the policy in force (escalation-policy.yaml in the profile);
        --cadence overrides one severity's update cadence; exit 1 when the file is not valid

  metrics-source add NAME (--prometheus URL | --scrape URL) [--target HOST]   a service-metrics source
  metrics-source list|remove NAME [--json]
  signals [--once] [--json]                seed 000's indicators (p95, throughput, availability, error rate, pool)
                                           and their level; exit 1 danger, 2 unknown
  risk [list] [--json] | risk show ID [--json]       the risk register (seed 000's seven risks to start)
  risk link INCIDENT RISK [--note T]       the incident realised the risk
  risk rescore RISK --impact N --probability N --reason R [--incident ID] [--context T] [--json]
  team join redis[s]://[user:pass@]host:port[/db] --team NAME [--ca FILE]
       (or redis[s]+sentinel://[user:pass@]sentinel:port[,sentinel:port…]/MASTER[/db])
                                           join a team (first device trusts itself; later ones wait for team approve)
  team status|devices|quarantine [--json]  sync state; devices with fingerprints and state; quarantined remote entries
  team approve DEVICE | share ID | unshare ID | sync | leave      (docs/team.md)
  team push-evidence ID [ARTIFACT…] [--max-mib N]   push evidence blobs to the team (default cap 50 MiB each)
  team fetch-evidence ID [SHA256]          list pushed blobs, or fetch one (kept only if its hash matches)

  backup --out FILE                        online backup of the database, hashed and recorded
  backup config [--on|--off] [--daily N] [--weekly N] [--monthly N]   automatic daily backups and their retention
  restore FILE [--unrecorded]              verify a backup completely (hash, chain, the heads its ledger line recorded),
                                           then replace the database (the old one is kept); --unrecorded: a file from elsewhere

Data lives in --home, else $FIREBREAK_HOME, else the platform's app-data folder (Firebreak).`;

function packageVersion(): string {
  for (const candidate of [path.join(__dirname, '../../package.json'), path.join(process.cwd(), 'package.json')]) {
    try {
      const pkg = JSON.parse(fs.readFileSync(candidate, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'firebreak' && pkg.version) return pkg.version;
    } catch {
      // try the next candidate
    }
  }
  return '0.0.0';
}

/** Pulls `--home DIR` / `--home=DIR` out of the arguments wherever it appears. */
function extractHome(args: string[]): { home: string | undefined; rest: string[] } {
  const rest: string[] = [];
  let home: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--home') {
      home = args[++i];
      if (home === undefined) throw new UsageError('--home needs a folder');
    } else if (arg.startsWith('--home=')) home = arg.slice('--home='.length);
    else rest.push(arg);
  }
  return { home, rest };
}

async function serve(ctx: CliContext, args: string[]): Promise<number> {
  const { values } = parse(args, { port: { type: 'string' }, renderer: { type: 'string' } });
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new UsageError(`--port: "${values.port}" is not a port number`);
  const rendererDir = path.resolve(values.renderer ?? path.join(__dirname, '../renderer'));
  if (!fs.existsSync(path.join(rendererDir, 'index.html'))) {
    throw new CommandFailed(`the built console is missing (${rendererDir}/index.html); run \`npm run build\` first`);
  }
  // Loaded for `serve` only: the web server and WebSocket modules are start-up every other command would pay.
  const { startHost } = await import('./host/server');
  const host = await startHost({ dispatch: ctx.dispatch, events: ctx.services.events, rendererDir, port });
  ctx.services.sla.start();
  ctx.services.escalation.start();
  ctx.services.team.start();
  const stopBackups = startAutoBackups(ctx.services.home, ctx.services.clock, ctx.services.db);
  // Gauges and probes run only in long-lived processes (the app and serve), never in one-shot commands.
  await ctx.services.monitor.start();
  ctx.services.metrics.start();
  // Marks collections a crashed process left running before anyone collects again.
  await ctx.services.evidence.ready();
  ctx.out(`Firebreak console: ${host.url}`);
  ctx.out(`Data: ${ctx.services.home}   (Ctrl+C to stop)`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  stopBackups();
  await host.close();
  return 0;
}

type Command = (ctx: CliContext, args: string[]) => Promise<number>;

/** Each feature's commands live in cli/<feature>.ts and are listed here. */
const COMMANDS: Record<string, Command> = {
  serve,
  incident: incidentCommand,
  note: noteCommand,
  correct: correctCommand,
  timeline: timelineCommand,
  backup: backupCommand,
  probe: probeCommand,
  report: reportCommand,
  metrics: metricsCommand,
  collect: collectCommand,
  evidence: evidenceCommand,
  export: exportCommand,
  verify: verifyCommand,
  runbook: runbookCommand,
  target: targetCommand,
  gauges: gaugesCommand,
  contacts: contactsCommand,
  oncall: oncallCommand,
  escalate: escalateCommand,
  update: updateCommand,
  'escalation-policy': escalationPolicyCommand,
  'metrics-source': metricsSourceCommand,
  signals: signalsCommand,
  risk: riskCommand,
  team: teamCommand,
};

export async function runCli(argv: string[], print: (text: string) => void = (t) => console.log(t)): Promise<number> {
  let services: ReturnType<typeof createServices> | undefined;
  const out = (text: string) => print(neutraliseControls(text));
  const fail = (text: string) => console.error(neutraliseControls(text));
  try {
    const { home, rest } = extractHome(argv);
    const [command, ...args] = rest;
    if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
      out(USAGE);
      return command === undefined ? 2 : 0;
    }
    if (command === '--version' || command === 'version') {
      out(packageVersion());
      return 0;
    }
    // Restoring replaces the database file, so it must not hold it open.
    if (command === 'restore') return await restoreCommand(resolveHome(home), args, out);
    services = createServices({ home: resolveHome(home), version: packageVersion() });
    const ctx: CliContext = { services, dispatch: createDispatch(createHandlers(services, 'websocket')), out };
    const run = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
    if (!run) throw new UsageError(`unknown command ${JSON.stringify(command)}`);
    return await run(ctx, args);
  } catch (error) {
    if (error instanceof UsageError) {
      fail(`firebreak: ${error.message}\nRun \`firebreak help\` for usage.`);
      return 2;
    }
    if (error instanceof CommandFailed) {
      fail(`firebreak: ${error.message}`);
      return error.exitCode;
    }
    if (error instanceof DatabaseTooNewError) {
      fail(`firebreak: ${error.message}`);
      return 1;
    }
    // One line, no stack: the stack helps nobody at the terminal during an incident.
    fail(`firebreak: unexpected error: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  } finally {
    services?.close();
  }
}

// Run when executed directly (bin/firebreak.mjs requires this bundle and calls runCli itself).
if (require.main === module) {
  void runCli(process.argv.slice(2)).then((code) => process.exit(code));
}
