#!/usr/bin/env node
'use strict';
const { main } = require('../dist/lib/cli/main.js');

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
