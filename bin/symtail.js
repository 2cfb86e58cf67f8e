#!/usr/bin/env node
'use strict';
const path = require('node:path');

const entry = path.join(__dirname, '..', 'dist', 'lib', 'cli', 'main.js');
let cli;
try {
  cli = require(entry);
} catch (e) {
  // A clone that has not been built yet: say what to do instead of a stack trace.
  if (e && e.code === 'MODULE_NOT_FOUND' && String(e.message).includes(entry)) {
    process.stderr.write('symtail: not built yet (dist/lib/cli/main.js is missing); run `npm run build` first\n');
    process.exit(2);
  }
  throw e;
}
cli.main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
