import { GROUP_NAME_PATTERN } from '../policy/patterns';
import { DURATION_PATTERN } from './duration';
import { objectSchema } from './schema-type';
import {
  ApprovalManifest,
  BreakGlassManifest,
  CredentialRef,
  FlowManifest,
  IntegrationManifest,
  Manifest,
  MANIFEST_VERSION,
  OnCallManifest,
  PagerDutyManifest,
  PrincipalRule,
  RemindersManifest,
  RequestsManifest,
  SecretRef,
  SelfExtensionManifest,
  SlackManifest,
  StrategyManifest,
  TargetManifest,
} from './types';

/** Names of manifest entries: what Sym allows in resource names, and safe in file names and logs. */
export const NAME_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$';
/** A Tailscale group name without its `group:` prefix: the policy engine's, which writes it into policy files. */
export { GROUP_NAME_PATTERN };
/** Tailnet name: a domain, a `user@gmail.com`-style or organisation name, or `-` for the credential's default tailnet;
 * the same alphabet the API client accepts. */
export const TAILNET_PATTERN = '^(-|[A-Za-z0-9][A-Za-z0-9._@+-]{0,252})$';
// `xn--` labels are punycode that URL parsers decode and may refuse; an API host has no need of them.
const LABEL_DNS = '(?![Xx][Nn]--)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?';
// A last label of digits would make URL parsers read the host as an IPv4 address, so it must start with a letter.
const HOST_NAME = `(?:${LABEL_DNS}\\.)*(?![Xx][Nn]--)[A-Za-z](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?`;
const OCTET = '(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])';
const IPV4 = `(?:${OCTET}\\.){3}${OCTET}`;
const PORT = '(?:6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}|[1-9][0-9]{0,3})';
const LOOPBACK = `(?:localhost|127\\.${OCTET}\\.${OCTET}\\.${OCTET}|\\[::1\\])`;
/**
 * An API origin: `https://` and a host name, IPv4 address or `[::1]`, or `http://` to loopback only (a credential
 * sent in clear never leaves the machine), an optional port; no user name, password, path, query or fragment.
 * Stricter than a URL parser, so whatever synth accepts the API client accepts too, and no credential can ride in
 * the URL into the manifest.
 */
export const API_ORIGIN_PATTERN = `^(?:https://(?:${HOST_NAME}|${IPV4}|\\[::1\\])|http://${LOOPBACK})(?::${PORT})?$`;
/** What {@link API_ORIGIN_PATTERN} asks for, in words, for every message that refuses an origin. */
export const API_ORIGIN_EXPECTED =
  'an API origin such as "https://api.tailscale.com" (http:// only to localhost, 127.x.x.x or [::1]; no user name or password, port up to 65535, no path, no trailing "/")';

/** A Slack Web API URL: an origin as above, then a path ending in `/` (`https://slack.com/api/`). */
export const SLACK_API_URL_PATTERN = `${API_ORIGIN_PATTERN.slice(0, -1)}(?:/[A-Za-z0-9._~-]+)*/$`;
/** Slack's own Web API URL. */
export const DEFAULT_SLACK_API_URL = 'https://slack.com/api/';
/** Slack ids: workspaces `T…` (or Enterprise Grid `E…`), apps `A…`, channels `C…`/`G…`. */
export const SLACK_TEAM_ID_PATTERN = '^[TE][A-Z0-9]{2,31}$';
export const SLACK_APP_ID_PATTERN = '^A[A-Z0-9]{2,31}$';
export const SLACK_CHANNEL_ID_PATTERN = '^[CG][A-Z0-9]{2,31}$';

/** A PagerDuty object id (schedule, escalation policy), e.g. `PI7DH85`. */
export const PAGERDUTY_ID_PATTERN = '^[A-Z0-9]{2,32}$';
/** PagerDuty's own REST API origin. */
export const DEFAULT_PAGERDUTY_API_URL = 'https://api.pagerduty.com';

/** A tailnet user login (`name@example.com`, `name@github`, `name@passkey`): never a `group:`, `tag:` or `*`. */
export const TAILNET_LOGIN_PATTERN = '^[A-Za-z0-9._%+-]{1,128}@[A-Za-z0-9](?:[A-Za-z0-9.-]{0,126}[A-Za-z0-9])?$';
/** Who may request access: one email (`alice@example.com`) or a whole domain (`@example.com`). */
export const REQUESTER_PATTERN = '^[^\\s@]*@[^\\s@]+$';
/** An approver or a mapped caller: one ASCII email, lower-case, as requests compare them. */
export const EMAIL_PATTERN = '^[\\x21-\\x3f\\x5b-\\x7e]{1,128}@[\\x21-\\x3f\\x5b-\\x7e]{1,253}$';
/** An IAM principal ARN as a function URL reports its caller: a user, a role, or an assumed-role session. */
export const PRINCIPAL_ARN_PATTERN = '^arn:aws[a-z-]*:(iam|sts)::[0-9]{12}:(user|role|assumed-role)/[\\x21-\\x7e]{1,512}$';
/** An AWS account id. */
export const ACCOUNT_ID_PATTERN = '^[0-9]{12}$';
/** An IAM Identity Center permission set name. */
export const PERMISSION_SET_PATTERN = '^[A-Za-z0-9+=,.@_-]{1,32}$';
/** Most approvals a flow may require. */
export const MAX_REQUIRED_APPROVALS = 10;

const name = { type: 'string', pattern: NAME_PATTERN } as const;
const duration = { type: 'string', pattern: DURATION_PATTERN } as const;
const label = { type: 'string', minLength: 1, maxLength: 256 } as const;
const email = { type: 'string', pattern: EMAIL_PATTERN } as const;

/** An AWS region, e.g. `eu-west-1`, `us-gov-west-1`. */
export const AWS_REGION_PATTERN = '^[a-z]{2}(-[a-z]+)+-[0-9]{1,2}$';

const secretRef = {
  secretId: { type: 'string', minLength: 1, maxLength: 2048 },
  region: { type: 'string', pattern: AWS_REGION_PATTERN },
  jsonKey: { type: 'string', minLength: 1, maxLength: 256 },
} as const;
const secret = objectSchema<SecretRef>()({ type: 'object', additionalProperties: false, required: ['secretId'], properties: secretRef });

/** JSON Schema (draft 2020-12 subset understood by ajv) of `manifest.json`. */
export const MANIFEST_SCHEMA = objectSchema<Manifest>()({
  $id: 'https://symtail.dev/schemas/manifest-v1.json',
  type: 'object',
  additionalProperties: false,
  required: ['version', 'environment', 'requests', 'integrations', 'targets', 'strategies', 'flows'],
  properties: {
    version: { const: MANIFEST_VERSION },
    environment: name,
    requests: objectSchema<RequestsManifest>()({
      type: 'object',
      additionalProperties: false,
      required: ['principals', 'allowAssertedIdentity'],
      properties: {
        principals: {
          type: 'array',
          items: {
            oneOf: [
              objectSchema<Extract<PrincipalRule, { kind: 'arn' }>>()({
                type: 'object',
                additionalProperties: false,
                required: ['kind', 'arn', 'email'],
                properties: { kind: { const: 'arn' }, arn: { type: 'string', pattern: PRINCIPAL_ARN_PATTERN }, email },
              }),
              objectSchema<Extract<PrincipalRule, { kind: 'identityCenter' }>>()({
                type: 'object',
                additionalProperties: false,
                required: ['kind', 'accounts', 'permissionSets'],
                properties: {
                  kind: { const: 'identityCenter' },
                  accounts: {
                    oneOf: [{ const: 'own' }, { type: 'array', minItems: 1, uniqueItems: true, items: { type: 'string', pattern: ACCOUNT_ID_PATTERN } }],
                  },
                  permissionSets: { type: 'array', uniqueItems: true, items: { type: 'string', pattern: PERMISSION_SET_PATTERN } },
                },
              }),
            ],
          },
        },
        allowAssertedIdentity: { type: 'boolean' },
      },
    }),
    integrations: {
      type: 'object',
      additionalProperties: objectSchema<IntegrationManifest>()({
        type: 'object',
        additionalProperties: false,
        required: ['type', 'name', 'externalId', 'apiBaseUrl', 'credential', 'identityOverrides'],
        properties: {
          type: { const: 'tailscale' },
          name,
          externalId: { type: 'string', pattern: TAILNET_PATTERN },
          apiBaseUrl: { type: 'string', pattern: API_ORIGIN_PATTERN },
          credential: objectSchema<CredentialRef>()({
            type: 'object',
            additionalProperties: false,
            required: ['kind', 'secretId'],
            properties: { kind: { enum: ['apiKey', 'oauthClient'] }, ...secretRef },
          }),
          identityOverrides: {
            type: 'object',
            propertyNames: { type: 'string', pattern: '^[^A-Z\\s]+@[^A-Z\\s]+$' },
            additionalProperties: { type: 'string', pattern: TAILNET_LOGIN_PATTERN },
          },
        },
      }),
    },
    targets: {
      type: 'object',
      additionalProperties: objectSchema<TargetManifest>()({
        type: 'object',
        additionalProperties: false,
        required: ['type', 'name', 'label', 'groupName', 'exclusive', 'createGroup'],
        properties: {
          type: { const: 'tailscale_group' },
          name,
          label,
          groupName: { type: 'string', pattern: GROUP_NAME_PATTERN },
          maxDuration: duration,
          exclusive: { type: 'boolean' },
          createGroup: { type: 'boolean' },
        },
      }),
    },
    strategies: {
      type: 'object',
      additionalProperties: objectSchema<StrategyManifest>()({
        type: 'object',
        additionalProperties: false,
        required: ['type', 'name', 'integration', 'targets'],
        properties: {
          type: { const: 'tailscale' },
          name,
          integration: name,
          targets: { type: 'array', minItems: 1, uniqueItems: true, items: name },
        },
      }),
    },
    flows: {
      type: 'object',
      additionalProperties: objectSchema<FlowManifest>()({
        type: 'object',
        additionalProperties: false,
        required: [
          'name',
          'label',
          'strategy',
          'allowRevoke',
          'scheduleDeescalation',
          'durations',
          'maxDuration',
          'reasonRequired',
          'allowedRequesters',
          'approval',
        ],
        properties: {
          name,
          label,
          strategy: name,
          allowRevoke: { type: 'boolean' },
          scheduleDeescalation: { type: 'boolean' },
          durations: { type: 'array', uniqueItems: true, items: duration },
          maxDuration: duration,
          reasonRequired: { type: 'boolean' },
          allowedRequesters: {
            type: 'array',
            uniqueItems: true,
            items: { type: 'string', pattern: REQUESTER_PATTERN },
          },
          requestsChannel: { type: 'string', pattern: SLACK_CHANNEL_ID_PATTERN },
          breakGlass: objectSchema<BreakGlassManifest>()({
            type: 'object',
            additionalProperties: false,
            required: ['maxDuration'],
            properties: { maxDuration: duration },
          }),
          selfExtension: objectSchema<SelfExtensionManifest>()({
            type: 'object',
            additionalProperties: false,
            required: ['maxTotal'],
            properties: { maxTotal: duration },
          }),
          reminders: objectSchema<RemindersManifest>()({
            type: 'object',
            additionalProperties: false,
            required: ['nudgeApprovers'],
            properties: { beforeExpiry: duration, nudgeApprovers: { type: 'boolean' } },
          }),
          onCall: objectSchema<OnCallManifest>()({
            type: 'object',
            additionalProperties: false,
            required: ['pagerDuty'],
            properties: {
              pagerDuty: objectSchema<PagerDutyManifest>()({
                type: 'object',
                additionalProperties: false,
                required: ['apiUrl', 'token', 'schedules', 'escalationPolicies'],
                properties: {
                  apiUrl: { type: 'string', pattern: API_ORIGIN_PATTERN },
                  token: secret,
                  schedules: { type: 'array', uniqueItems: true, maxItems: 20, items: { type: 'string', pattern: PAGERDUTY_ID_PATTERN } },
                  escalationPolicies: { type: 'array', uniqueItems: true, maxItems: 20, items: { type: 'string', pattern: PAGERDUTY_ID_PATTERN } },
                },
              }),
            },
          }),
          approval: objectSchema<ApprovalManifest>()({
            type: 'object',
            additionalProperties: false,
            required: ['autoApprove', 'approvers', 'approverGroups', 'requiredApprovals', 'allowSelfApproval', 'approvalWindow'],
            properties: {
              autoApprove: { type: 'boolean' },
              approvers: { type: 'array', uniqueItems: true, items: email },
              approverGroups: { type: 'array', uniqueItems: true, items: { type: 'string', pattern: GROUP_NAME_PATTERN } },
              requiredApprovals: { type: 'integer', minimum: 1, maximum: MAX_REQUIRED_APPROVALS },
              allowSelfApproval: { type: 'boolean' },
              approvalWindow: duration,
            },
          }),
        },
      }),
    },
    slack: objectSchema<SlackManifest>()({
      type: 'object',
      additionalProperties: false,
      required: ['type', 'name', 'externalId', 'appId', 'apiUrl', 'signingSecret', 'botToken'],
      properties: {
        type: { const: 'slack' },
        name,
        externalId: { type: 'string', pattern: SLACK_TEAM_ID_PATTERN },
        appId: { type: 'string', pattern: SLACK_APP_ID_PATTERN },
        apiUrl: { type: 'string', pattern: SLACK_API_URL_PATTERN },
        signingSecret: secret,
        botToken: secret,
      },
    }),
  },
});
