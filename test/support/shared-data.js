// Test data that lives beside the checkout in ../shared, never in the repository: the reference HuJSON vectors
// (hujson-vectors/) and the real policy files (policy-corpus/). A suite that reads it says so on a line of its own:
//   // needs-shared: policy-corpus, hujson-vectors
// Without the data those suites are left out of the run and named once at its end; with
// SYMTAIL_REQUIRE_SHARED_DATA=1 (set by .ci/run) the run fails instead, so CI can never skip them.
const fs = require('node:fs');
const path = require('node:path');

const SHARED_DIR = path.resolve(__dirname, '../../../shared');
const TEST_DIR = path.resolve(__dirname, '..');
const REQUIRE_VARIABLE = 'SYMTAIL_REQUIRE_SHARED_DATA';
const NEEDS = /^\/\/ needs-shared: ([\w-]+(?:, [\w-]+)*)$/m;

function testFiles(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : testFiles(full);
    return entry.name.endsWith('.test.ts') ? [full] : [];
  });
}

/** Each suite that needs a folder of ../shared that is not there, with the folders it lacks. */
function suitesLackingSharedData() {
  const lacking = [];
  for (const file of testFiles(TEST_DIR)) {
    const needs = NEEDS.exec(fs.readFileSync(file, 'utf8'));
    if (!needs) continue;
    const missing = needs[1].split(', ').filter((folder) => !fs.existsSync(path.join(SHARED_DIR, folder)));
    if (missing.length > 0) lacking.push({ file, missing });
  }
  return lacking;
}

function missingFolders(lacking) {
  return [...new Set(lacking.flatMap((s) => s.missing))].map((f) => path.join(SHARED_DIR, f));
}

/** "<a> is" or "<a> and <b> are": the missing folders as a sentence's subject. */
function missingSubject(lacking) {
  const folders = missingFolders(lacking);
  return `${folders.join(' and ')} ${folders.length === 1 ? 'is' : 'are'}`;
}

module.exports = { SHARED_DIR, REQUIRE_VARIABLE, suitesLackingSharedData, missingSubject };
