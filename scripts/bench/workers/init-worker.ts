// A Lambda cold start, reduced to what the handler itself costs: the time to require the bundle from a folder that
// holds it beside its manifest (module loading plus manifest validation), measured around the require alone.
import * as path from 'node:path';

const [dir] = process.argv.slice(2);
if (!dir) {
  process.stderr.write('usage: init-worker <folder holding index.js and manifest.json>\n');
  process.exit(2);
}
const start = process.hrtime.bigint();
require(path.join(path.resolve(dir), 'index.js'));
const initMs = Number(process.hrtime.bigint() - start) / 1e6;
process.stdout.write(JSON.stringify({ initMs }));
