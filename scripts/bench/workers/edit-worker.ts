// Generated-policy edit timings in a fresh process, so they can be taken under other V8 heap flags.
// Prints {"<bytes>": median edit ms, …}.
import { timeEdits } from '../edit-timing';
import { generatePolicy } from '../policy-generator';

const [repeatsText, ...sizes] = process.argv.slice(2);
const repeats = Number(repeatsText);
if (!Number.isInteger(repeats) || repeats < 1 || sizes.length === 0) {
  process.stderr.write('usage: edit-worker <repeats ≥ 1> <bytes>…\n');
  process.exit(2);
}
// Compiled and warm first, as the parent process is by the time it times these sizes.
const warmUp = generatePolicy(100_000);
timeEdits(warmUp.text, warmUp.editGroup, 10, false);
const medians: Record<string, number> = {};
for (const size of sizes) {
  const policy = generatePolicy(Number(size));
  medians[size] = timeEdits(policy.text, policy.editGroup, repeats, true).medianEditMs;
}
process.stdout.write(JSON.stringify(medians));
