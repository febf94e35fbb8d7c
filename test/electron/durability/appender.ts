// Child process for the crash test: appends timeline entries and stores evidence as fast
// as it can, and reports each one on stdout only after it committed.
import { createServices } from '../../../electron/services';

const home = process.argv[2];
if (!home) throw new Error('usage: appender HOME');
const services = createServices({ home, identity: { actor: 'crash-test', host: 'child' } });
const incident = services.incidents.list()[0] ?? services.incidents.create({ title: 'crash test', severity: 'low' });
let n = services.timeline.list(incident.id).filter((e) => e.kind === 'note').length;
let stored = services.evidence.listArtifacts(incident.id).length;

async function loop(): Promise<void> {
  await services.evidence.ready();
  for (;;) {
    // Few notes between transcripts, so that on a slow or busy disk kills still land mid-copy.
    for (let i = 0; i < 5; i++) {
      n++;
      services.incidents.addNote(incident.id, `entry ${n}`);
      process.stdout.write(`committed ${n}\n`);
    }
    if (n % 200 === 0) services.timeline.appendMany(Array.from({ length: 50 }, (_, i) => ({ incidentId: incident.id, kind: 'alert.raised', data: { burst: n, i } })));
    // Evidence: a transcript of a few hundred KB, so kills also land mid-copy.
    await services.evidence.storeTranscript(incident.id, { name: `transcript-${n}.txt`, data: `${'log line\n'.repeat(20_000)}${n}\n`, producer: 'crash-test' });
    stored++;
    process.stdout.write(`stored ${stored}\n`);
  }
}
void loop();
