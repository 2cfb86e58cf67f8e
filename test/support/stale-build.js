// Jest's global setup: refuse to run against a build older than its sources. Suites that run the bundled handlers
// (dist/runtime-bundle, dist/slack-bundle) or the compiled scripts would otherwise test yesterday's code and fail
// far from the cause, e.g. "unknown property" from a manifest schema the bundle predates. `npm test` builds first
// (pretest); a bare `npx jest` after an edit trips this. Only file times are read, so it costs milliseconds.
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '../..');

/** Each output of `npm run build:dev` and the source folders it is made from (the bundles are written by scripts/bundle-handler.js). */
const OUTPUTS = [
  { output: 'dist/runtime-bundle/index.js', sources: ['lib'] },
  { output: 'dist/slack-bundle/index.js', sources: ['lib'] },
  { output: 'dist/lib.tsbuildinfo', sources: ['lib'] },
  { output: 'dist/scripts.tsbuildinfo', sources: ['lib', 'scripts'] },
];

/** The newest modification time (ms) of a .ts file under `dir`, or 0 when there is none. */
function newestSource(dir) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(file));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, fs.statSync(file).mtimeMs);
  }
  return newest;
}

/** The outputs under `root` that are missing or older than a source they are built from, each with the reason. */
function staleOutputs(root = ROOT, outputs = OUTPUTS) {
  const newest = new Map();
  const newestOf = (dir) => {
    if (!newest.has(dir)) newest.set(dir, fs.existsSync(path.join(root, dir)) ? newestSource(path.join(root, dir)) : 0);
    return newest.get(dir);
  };
  return outputs.flatMap(({ output, sources }) => {
    const file = path.join(root, output);
    if (!fs.existsSync(file)) return [`${output} is missing`];
    const built = fs.statSync(file).mtimeMs;
    const changed = sources.filter((dir) => newestOf(dir) > built);
    return changed.length === 0 ? [] : [`${output} is older than ${changed.map((d) => `${d}/**/*.ts`).join(' and ')}`];
  });
}

function staleBuildMessage(stale) {
  return `the build in dist/ is stale: ${stale.join('; ')}. Run \`npm run build:dev\` (npm test does it first).`;
}

module.exports = async function refuseStaleBuild() {
  const stale = staleOutputs();
  if (stale.length > 0) throw new Error(staleBuildMessage(stale));
};
module.exports.staleOutputs = staleOutputs;
module.exports.staleBuildMessage = staleBuildMessage;
module.exports.OUTPUTS = OUTPUTS;
