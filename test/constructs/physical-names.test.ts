import fc from 'fast-check';
import { MAX_PHYSICAL_NAME, physicalName, runtimeNames } from '../../lib/constructs/synth/physical-names';
import { SYM_NAME } from '../../lib/constructs/text-rules';

/** What Lambda function names, IAM role names and EventBridge rule names all accept. */
const AWS_NAME = /^[A-Za-z0-9_-]{1,64}$/;
const environment = fc.stringMatching(SYM_NAME.pattern);
/** Construct ids: anything but "/", of any length. */
const constructId = fc.string({ minLength: 1, maxLength: 200, unit: 'grapheme' }).filter((id) => !id.includes('/'));

test('names that already fit are kept as they are', () => {
  expect(runtimeNames('main', 'runtime')).toEqual({
    functionName: 'symtail-main-runtime',
    roleName: 'symtail-main-runtime',
    logGroupName: '/aws/lambda/symtail-main-runtime',
    sweepRuleName: 'symtail-main-runtime-sweep',
    requestsTableName: 'symtail-main-runtime-requests',
  });
});

test('names that do not fit are cut to 64 with a hash of the original', () => {
  const name = physicalName(`symtail-main-${'x'.repeat(80)}`);
  expect(name).toHaveLength(MAX_PHYSICAL_NAME);
  expect(name).toMatch(/^symtail-main-x+-[0-9a-f]{8}$/);
  expect(physicalName('symtail-main-run.time')).toMatch(/^symtail-main-run-time-[0-9a-f]{8}$/);
});

test('every environment and construct id give names AWS accepts, and the log group follows the function', () => {
  fc.assert(
    fc.property(environment, constructId, (env, id) => {
      const names = runtimeNames(env, id);
      expect(names.functionName).toMatch(AWS_NAME);
      expect(names.roleName).toMatch(AWS_NAME);
      expect(names.sweepRuleName).toMatch(AWS_NAME);
      expect(names.logGroupName).toBe(`/aws/lambda/${names.functionName}`);
      // DynamoDB table names: 3 to 255 of letters, digits, "_", "-" and ".".
      expect(names.requestsTableName).toMatch(/^[A-Za-z0-9_.-]{3,255}$/);
    }),
  );
});

test('different texts never get the same name, even when cutting or replacing characters', () => {
  // A small alphabet with "." (replaced) and lengths around 64 (cut) makes near-collisions common.
  const text = fc.string({ unit: fc.constantFrom('a', '-', '.', '_'), minLength: 1, maxLength: 100 });
  fc.assert(
    fc.property(fc.uniqueArray(text, { minLength: 2, maxLength: 2 }), ([a, b]) => {
      expect(physicalName(a)).not.toBe(physicalName(b));
    }),
  );
});

test('a name is the same on every call', () => {
  fc.assert(fc.property(environment, constructId, (env, id) => expect(runtimeNames(env, id)).toEqual(runtimeNames(env, id))));
});
