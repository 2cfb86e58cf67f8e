// One Lambda container of the contention figure: its own engine escalates the given requesters all at once when
// told to go, and reports an EscalationTally.
import { benchHandler, benchManifest, EMULATOR_KEY_CREDENTIALS, escalateAll, requesters } from '../bench-engine';
import { serveOnce } from '../worker-process';

const [url, prefix, countText] = process.argv.slice(2);
const count = Number(countText);
if (!url || !prefix || !Number.isInteger(count) || count < 1) {
  process.stderr.write('usage: escalate-worker <emulator url> <requester prefix> <count ≥ 1>\n');
  process.exit(2);
}

const handler = benchHandler(benchManifest(url, 'apiKey'), EMULATOR_KEY_CREDENTIALS);

serveOnce(() => escalateAll(handler, requesters(prefix, count), `r-${prefix}`));
