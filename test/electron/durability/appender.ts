// Child process for the crash test: appends timeline entries as fast as it can and reports
// each one on stdout only after append() returned, i.e. after its transaction committed.
import { createServices } from '../../../electron/services';

const home = process.argv[2];
if (!home) throw new Error('usage: appender HOME');
const services = createServices({ home, identity: { actor: 'crash-test', host: 'child' } });
const incident = services.incidents.list()[0] ?? services.incidents.create({ title: 'crash test', severity: 'low' });
let n = services.timeline.list(incident.id).filter((e) => e.kind === 'note').length;
const tick = () => {
  for (let i = 0; i < 20; i++) {
    n++;
    services.incidents.addNote(incident.id, `entry ${n}`);
    process.stdout.write(`committed ${n}\n`);
  }
  if (n % 200 === 0) services.timeline.appendMany(Array.from({ length: 50 }, (_, i) => ({ incidentId: incident.id, kind: 'alert.raised', data: { burst: n, i } })));
  setImmediate(tick);
};
tick();
