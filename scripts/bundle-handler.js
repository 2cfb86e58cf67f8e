// Bundles the runtime Lambda handler once, at build time. Synth only zips this file with the manifest.
// The AWS SDK v3 is external: the Node.js Lambda runtime provides it.
const path = require('node:path');
const esbuild = require('esbuild');

const root = path.resolve(__dirname, '..');
esbuild
  .build({
    entryPoints: [path.join(root, 'lib/runtime/lambda/handler.ts')],
    outfile: path.join(root, 'dist/runtime-bundle/index.js'),
    bundle: true,
    minify: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: ['@aws-sdk/*'],
    alias: { 'form-data': path.join(root, 'scripts/form-data-global.js') },
    legalComments: 'none',
    // Error classes name themselves after their class (SymtailError): minified names would read "e" in logs.
    keepNames: true,
    logLevel: 'warning',
  })
  .catch(() => process.exit(1));
