import { ManifestError, validateManifest } from '../../lib/manifest';
import { EXAMPLE_SLACK_ENTRY, exampleManifest } from '../../scripts/fixtures/example-manifest';
import { EditableJson } from '../support/editable-json';

function withSlack(change: (m: Record<string, EditableJson>) => void = () => undefined): Record<string, EditableJson> {
  const m = JSON.parse(JSON.stringify(exampleManifest('https://api.tailscale.com')));
  m.slack = JSON.parse(JSON.stringify(EXAMPLE_SLACK_ENTRY));
  m.flows['tailscale-ssh-access'].requestsChannel = 'C0REQUESTS';
  change(m);
  return m;
}

function problems(m: unknown): readonly string[] {
  try {
    validateManifest(m);
    return [];
  } catch (error) {
    if (error instanceof ManifestError) return error.problems;
    throw error;
  }
}

test('a manifest with a Slack app and a flow that posts to a channel is valid', () => {
  expect(problems(withSlack())).toEqual([]);
});

test.each([
  [
    'a channel with no Slack app',
    (m: Record<string, EditableJson>) => delete m.slack,
    'manifest.flows.tailscale-ssh-access.requestsChannel: set, but the manifest has no slack app to post with',
  ],
  [
    'a channel by name',
    (m: Record<string, EditableJson>) => (m.flows['tailscale-ssh-access'].requestsChannel = '#access'),
    'manifest.flows.tailscale-ssh-access.requestsChannel: must match pattern "^[CG][A-Z0-9]{2,31}$"',
  ],
  [
    'an API URL with a password',
    (m: Record<string, EditableJson>) => (m.slack.apiUrl = 'https://u:p@slack.com/api/'),
    'manifest.slack.apiUrl: must match pattern',
  ],
  [
    'a cleartext API URL off loopback, which would carry the bot token in the clear',
    (m: Record<string, EditableJson>) => (m.slack.apiUrl = 'http://slack.example.com/api/'),
    'manifest.slack.apiUrl: must match pattern',
  ],
  [
    'an API URL not ending in "/"',
    (m: Record<string, EditableJson>) => (m.slack.apiUrl = 'https://slack.com/api'),
    'manifest.slack.apiUrl: must match pattern',
  ],
  ['a token value instead of a secret', (m: Record<string, EditableJson>) => (m.slack.botToken = 'xoxb-1'), 'manifest.slack.botToken: must be object'],
  ['another app id shape', (m: Record<string, EditableJson>) => (m.slack.appId = 'B0NOTANAPP'), 'manifest.slack.appId: must match pattern'],
])('%s is refused', (_name, change, problem) => {
  expect(problems(withSlack(change)).join('\n')).toContain(problem);
});
