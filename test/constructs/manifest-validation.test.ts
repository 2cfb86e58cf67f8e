import fc from 'fast-check';
import { Manifest, ManifestError, validateManifest } from '../../lib/manifest';
import { buildModel, buildRuntime, testStack, thrownBy } from './fixtures';
import { EditableJson } from '../support/editable-json';

/** The manifest of the seed's example, as the runtime construct writes it. */
function exampleManifest(): Manifest {
  const stack = testStack();
  return buildRuntime(stack, buildModel(stack)).manifest;
}

const valid = exampleManifest();

/** A writable deep copy of the example, changed by `edit`. */
function edited(edit: (m: EditableJson) => void): unknown {
  const copy = JSON.parse(JSON.stringify(valid));
  edit(copy);
  return copy;
}

const target = 'main-prod-access';
const flow = 'tailscale-ssh-access';
const strategy = 'main-tailscale-strategy';
const integration = 'main-tailscale-integration';

const cases: Array<{ name: string; manifest: unknown; problem: string }> = [
  { name: 'not an object', manifest: ['version', 1], problem: 'manifest: must be object' },
  { name: 'wrong version', manifest: edited((m) => (m.version = 2)), problem: 'manifest.version: must be equal to constant' },
  { name: 'unknown top-level field', manifest: edited((m) => (m.extra = true)), problem: 'manifest: unknown property "extra"' },
  {
    name: 'a secret value where only its id belongs',
    manifest: edited((m) => (m.integrations[integration].credential.secretValue = 'tskey-api-x')),
    problem: `manifest.integrations.${integration}.credential: unknown property "secretValue"`,
  },
  {
    name: 'unknown field in a target',
    manifest: edited((m) => (m.targets[target].group = 'prod')),
    problem: `manifest.targets.${target}: unknown property "group"`,
  },
  { name: 'a missing section', manifest: edited((m) => delete m.flows), problem: "manifest: must have required property 'flows'" },
  {
    name: 'a strategy naming no integration there is',
    manifest: edited((m) => (m.strategies[strategy].integration = 'nope')),
    problem: `manifest.strategies.${strategy}.integration: no integration named "nope"`,
  },
  {
    name: 'a strategy naming no target there is',
    manifest: edited((m) => m.strategies[strategy].targets.push('nope')),
    problem: `manifest.strategies.${strategy}.targets: no target named "nope"`,
  },
  {
    name: 'a flow naming no strategy there is',
    manifest: edited((m) => (m.flows[flow].strategy = 'nope')),
    problem: `manifest.flows.${flow}.strategy: no strategy named "nope"`,
  },
  {
    name: 'a duration in words',
    manifest: edited((m) => (m.flows[flow].durations = ['30 minutes'])),
    problem: `manifest.flows.${flow}.durations.0: must match pattern`,
  },
  {
    name: 'a target maximum in weeks',
    manifest: edited((m) => (m.targets[target].maxDuration = '1w')),
    problem: `manifest.targets.${target}.maxDuration: must match pattern`,
  },
  {
    name: 'a group with its prefix',
    manifest: edited((m) => (m.targets[target].groupName = 'group:prod')),
    problem: `manifest.targets.${target}.groupName: must match pattern`,
  },
  {
    name: 'a flow that can never end a grant',
    manifest: edited((m) => Object.assign(m.flows[flow], { allowRevoke: false, scheduleDeescalation: false })),
    problem: `manifest.flows.${flow}: at least one of allowRevoke and scheduleDeescalation must be true`,
  },
  {
    name: 'a duration above the maximum',
    manifest: edited((m) => (m.flows[flow].durations = ['2h'])),
    problem: `manifest.flows.${flow}.durations: "2h" is longer than maxDuration "1h"`,
  },
  {
    name: 'an entry keyed by another name',
    manifest: edited((m) => (m.targets[target].name = 'other')),
    problem: `manifest.targets.${target}.name: expected "${target}", got "other"`,
  },
  {
    name: 'a strategy without targets',
    manifest: edited((m) => (m.strategies[strategy].targets = [])),
    problem: `manifest.strategies.${strategy}.targets: must NOT have fewer than 1 items`,
  },
  {
    name: 'a target of another type',
    manifest: edited((m) => (m.targets[target].type = 'okta_group')),
    problem: `manifest.targets.${target}.type: must be equal to constant`,
  },
  {
    name: 'a credential of an unknown kind',
    manifest: edited((m) => (m.integrations[integration].credential.kind = 'password')),
    problem: `manifest.integrations.${integration}.credential.kind: must be equal to one of the allowed values`,
  },
  {
    name: 'an identity override to a group',
    manifest: edited((m) => (m.integrations[integration].identityOverrides = { 'alice@example.com': 'group:admins' })),
    problem: `manifest.integrations.${integration}.identityOverrides.alice@example.com: must match pattern`,
  },
  {
    name: 'an identity override keyed by an upper-case email',
    manifest: edited((m) => (m.integrations[integration].identityOverrides = { 'Alice@example.com': 'alice@github' })),
    problem: `manifest.integrations.${integration}.identityOverrides: property name must be valid`,
  },
  {
    name: 'an API origin with a path',
    manifest: edited((m) => (m.integrations[integration].apiBaseUrl = 'https://x.com/api')),
    problem: `manifest.integrations.${integration}.apiBaseUrl: expected an API origin`,
  },
  {
    name: 'a cleartext API origin that is not loopback',
    manifest: edited((m) => (m.integrations[integration].apiBaseUrl = 'http://api.tailscale.com')),
    problem: `manifest.integrations.${integration}.apiBaseUrl: expected an API origin such as "https://api.tailscale.com" (http:// only to localhost`,
  },
  {
    name: 'a tailnet with a space',
    manifest: edited((m) => (m.integrations[integration].externalId = 'a b')),
    problem: `manifest.integrations.${integration}.externalId: must match pattern`,
  },
  {
    name: 'a requester without a domain',
    manifest: edited((m) => (m.flows[flow].allowedRequesters = ['alice'])),
    problem: `manifest.flows.${flow}.allowedRequesters.0: must match pattern`,
  },
];

test('the manifest the runtime writes passes the schema', () => {
  expect(validateManifest(JSON.parse(JSON.stringify(valid)))).toEqual(valid);
});

describe('hand-made bad manifests are refused, naming the field', () => {
  test.each(cases)('$name', ({ manifest, problem }) => {
    const error = thrownBy(() => validateManifest(manifest));
    expect(error).toBeInstanceOf(ManifestError);
    expect((error as ManifestError).problems).toContainEqual(expect.stringContaining(problem));
  });
});

describe('durations against the maximum', () => {
  const unitSeconds = { s: 1, m: 60, h: 3600, d: 86400 } as const;
  const duration = fc
    .tuple(fc.integer({ min: 1, max: 999 }), fc.constantFrom('s', 'm', 'h', 'd') as fc.Arbitrary<keyof typeof unitSeconds>)
    .map(([n, unit]) => ({ text: `${n}${unit}`, seconds: n * unitSeconds[unit] }));

  test('a duration is accepted exactly when it is not longer than maxDuration', () => {
    fc.assert(
      fc.property(duration, duration, (choice, max) => {
        const manifest = edited((m) => Object.assign(m.flows[flow], { durations: [choice.text], maxDuration: max.text }));
        if (choice.seconds <= max.seconds) expect(() => validateManifest(manifest)).not.toThrow();
        else expect(() => validateManifest(manifest)).toThrow(`"${choice.text}" is longer than maxDuration "${max.text}"`);
      }),
    );
  });
});

test('any flow the constructs accept yields a manifest the schema accepts', () => {
  const params = fc.record({
    durations: fc.uniqueArray(fc.constantFrom('15m', '30m', '1h', '4h', '1d'), { maxLength: 5 }),
    ending: fc.constantFrom<[boolean, boolean]>([true, true], [true, false], [false, true]),
    reasonRequired: fc.boolean(),
    allowedRequesters: fc.uniqueArray(fc.constantFrom('@example.com', 'alice@example.com', 'bob@partner.org'), { maxLength: 3 }),
  });
  fc.assert(
    fc.property(params, ({ durations, ending: [allowRevoke, scheduleDeescalation], reasonRequired, allowedRequesters }) => {
      const stack = testStack();
      const runtime = buildRuntime(
        stack,
        buildModel(stack, { flowParams: { durations, allowRevoke, scheduleDeescalation, reasonRequired, allowedRequesters } }),
      );
      expect(validateManifest(JSON.parse(JSON.stringify(runtime.manifest)))).toEqual(runtime.manifest);
    }),
    { numRuns: 25 },
  );
});
