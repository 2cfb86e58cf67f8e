const { REQUIRE_VARIABLE, missingSubject, suitesLackingSharedData } = require('./test/support/shared-data');

const lacking = suitesLackingSharedData();
if (lacking.length > 0 && process.env[REQUIRE_VARIABLE] === '1') {
  throw new Error(`${REQUIRE_VARIABLE}=1 but ${missingSubject(lacking)} missing: ${lacking.length} suites need it`);
}
const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Type errors are caught by `npm run typecheck`; tests are transpiled only, which keeps the suite fast. */
module.exports = {
  testEnvironment: '<rootDir>/test/support/reaping-environment.js',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', ...lacking.map((s) => `^${escape(s.file)}$`)],
  reporters: ['default', '<rootDir>/test/support/shared-data-reporter.js'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { diagnostics: false }],
  },
  globalSetup: '<rootDir>/test/support/stale-build.js',
  testTimeout: 20000,
};
