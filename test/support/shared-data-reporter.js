// Names, once and at the end of the run, the suites left out because ../shared was not beside the checkout.
const path = require('node:path');
const { suitesLackingSharedData, missingSubject } = require('./shared-data');

class SharedDataReporter {
  onRunComplete() {
    const lacking = suitesLackingSharedData();
    if (lacking.length === 0) return;
    const root = path.resolve(__dirname, '../..');
    const lines = lacking.map((s) => `  ${path.relative(root, s.file)} (needs ${s.missing.join(', ')})`);
    process.stderr.write(
      `\nSkipped ${lacking.length} suites: the optional test data ${missingSubject(lacking)} not there.\n` +
        `${lines.join('\n')}\n` +
        'Put a copy of shared/ beside the checkout to run them (see README, "Tests").\n',
    );
  }
}

module.exports = SharedDataReporter;
