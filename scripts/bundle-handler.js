// Bundles the Lambda handlers once, at build time: the runtime (synth zips it with the manifest) and the Slack
// front door (its own small bundle). The AWS SDK v3 is external: the Node.js Lambda runtime provides it.
const path = require('node:path');
const esbuild = require('esbuild');

const root = path.resolve(__dirname, '..');
const bundles = [
  ['lib/runtime/lambda/handler.ts', 'dist/runtime-bundle/index.js'],
  ['lib/runtime/lambda/slack-front-door-handler.ts', 'dist/slack-bundle/index.js'],
];
const build = ([entry, outfile]) =>
  esbuild.build({
    entryPoints: [path.join(root, entry)],
    outfile: path.join(root, outfile),
    bundle: true,
    minify: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: ['@aws-sdk/*'],
    legalComments: 'none',
    // Error classes name themselves after their class (SymtailError): minified names would read "e" in logs.
    keepNames: true,
    logLevel: 'warning',
  });
Promise.all(bundles.map(build)).catch(() => process.exit(1));
