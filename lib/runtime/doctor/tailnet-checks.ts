import { daysLeftIfSoon } from '../../access';
import type { IntegrationManifest, TargetManifest } from '../../manifest';
import { grant, MissingGroupError } from '../../policy';
import { apiKeyId, PolicyValidation, TailscaleApiError, TailscaleClient, TailscaleClientOptions, TailscaleCredential } from '../../tailscale';
import { describeError } from '../errors';
import { CheckLine, failed, passed, skipped, warned } from './checklist';
import { policyFileLine } from './policy-file-check';

/**
 * An `If-Match` no policy file can match: Tailscale's ETags are the quoted SHA-256 of the file, and this one is zero
 * (and not `"ts-default"`). A `POST /acl` carrying it is refused whatever it holds: with 412 when the credential may
 * write (the scope is checked before the precondition), with 403 when it may only read. So the write scope is
 * proven without writing anything.
 */
export const UNMATCHABLE_ETAG = `"${'0'.repeat(64)}"`;

/** A login the dry-run grant of each target's group adds in memory; it is never written anywhere. */
const PROBE_LOGIN = 'symtail-doctor@example.com';

/** The ids of one integration's lines. */
export function tailnetLineIds(integration: string) {
  return {
    credential: `tailscale:${integration}`,
    read: `policy-read:${integration}`,
    write: `policy-write:${integration}`,
    file: `policy-file:${integration}`,
  };
}

export const groupLineId = (target: string): string => `group:${target}`;

export interface TailnetCheckInput {
  readonly integration: IntegrationManifest;
  /** The targets whose groups live in this integration's tailnet. */
  readonly targets: readonly TargetManifest[];
  /** The credential its secret holds; absent when the secret's own line failed. */
  readonly credential?: TailscaleCredential;
  /** The id of the secret's line, which dependent lines point at when they are skipped. */
  readonly secretLine: string;
  readonly clientOptions?: Omit<TailscaleClientOptions, 'credential' | 'apiBaseUrl'>;
  readonly now: Date;
}

/**
 * One tailnet's lines, in order: the credential accepted; the policy file read and validated (`policy_file:read`);
 * a write allowed (`policy_file`), proven with {@link UNMATCHABLE_ETAG}; the file itself; and each target's group
 * present, or creatable. The first line that fails skips the ones that need it.
 */
export async function checkTailnet(input: TailnetCheckInput): Promise<CheckLine[]> {
  const { integration, targets, credential } = input;
  const ids = tailnetLineIds(integration.name);
  const skipAll = (from: readonly string[], reason: string) => from.map((id) => skipped(id, reason));
  const later = [ids.read, ids.write, ids.file, ...targets.map((t) => groupLineId(t.name))];
  if (credential === undefined) return skipAll([ids.credential, ...later], `needs the credential of ${input.secretLine}`);

  const tailnet = integration.externalId;
  const client = new TailscaleClient({ ...input.clientOptions, apiBaseUrl: integration.apiBaseUrl, credential });
  const kind = credential.kind === 'apiKey' ? 'API key' : 'OAuth client';
  let policy: { text: string };
  try {
    policy = await client.getPolicy(tailnet);
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'forbidden') {
      return [
        passed(ids.credential, `Tailscale accepts the ${kind}`),
        failed(ids.read, `the ${kind} may not read the policy file of tailnet ${tailnet} (HTTP 403)`, writeScopeFix(integration, credential)),
        ...skipAll(later.slice(1), `needs ${ids.read}`),
      ];
    }
    return [
      failed(ids.credential, credentialFailure(error, kind, tailnet), credentialFix(error, integration, credential)),
      ...skipAll(later, `needs ${ids.credential}`),
    ];
  }

  const [credentialLine, validation, write] = await Promise.all([
    acceptedLine(ids.credential, client, integration, credential, input.now),
    client.validatePolicy(tailnet, policy.text).then(
      (v): PolicyValidation | { error: string; forbidden: boolean } => v,
      (e: unknown) => ({ error: describeError(e).message, forbidden: (e as { code?: string }).code === 'forbidden' }),
    ),
    writeLine(ids.write, client, integration, credential, policy.text),
  ]);
  const groups = targets.map((target) => groupLine(target, policy.text, input.now));
  if ('forbidden' in validation && validation.forbidden) {
    const readLine = failed(ids.read, `the ${kind} reads the policy file but may not validate it (HTTP 403)`, writeScopeFix(integration, credential));
    return [credentialLine, readLine, write, skipped(ids.file, `needs ${ids.read}`), ...groups];
  }
  const readLine = passed(ids.read, `reads the policy file of tailnet ${tailnet} and has Tailscale validate it`);
  return [credentialLine, readLine, write, policyFileLine(ids.file, policy.text, validation), ...groups];
}

/** Accepted; for an API key, with its expiry when Tailscale tells it (a warning within 14 days of it). */
async function acceptedLine(
  id: string,
  client: TailscaleClient,
  integration: IntegrationManifest,
  credential: TailscaleCredential,
  now: Date,
): Promise<CheckLine> {
  const accepted = `Tailscale accepts the ${credential.kind === 'apiKey' ? 'API key' : 'OAuth client'} for tailnet ${integration.externalId}`;
  const keyId = credential.kind === 'apiKey' ? apiKeyId(credential.apiKey) : undefined;
  if (keyId === undefined) return passed(id, accepted);
  let expires: string | undefined;
  try {
    ({ expires } = await client.getKey(integration.externalId, keyId));
  } catch {
    // Advisory: a key whose metadata cannot be read still works.
    return passed(id, accepted);
  }
  if (expires === undefined) return passed(id, `${accepted}; the key does not expire`);
  const daysLeft = daysLeftIfSoon(expires, now);
  if (daysLeft === undefined)
    return passed(id, `${accepted}; the key expires in ${Math.floor((Date.parse(expires) - now.getTime()) / 86_400_000)} days (${expires})`);
  return warned(
    id,
    `${accepted}, but the key ${daysLeft >= 0 ? `expires in ${daysLeft} day${daysLeft === 1 ? '' : 's'} (${expires})` : `expired on ${expires}`}: then every sweep fails`,
    `make a new API key (admin console → Settings → Keys) and put it in ${integration.credential.secretId}, or move to an OAuth client, which does not expire`,
  );
}

/** The write scope, proven by a write that cannot match: 412 allowed, 403 read-only. */
async function writeLine(
  id: string,
  client: TailscaleClient,
  integration: IntegrationManifest,
  credential: TailscaleCredential,
  text: string,
): Promise<CheckLine> {
  const kind = credential.kind === 'apiKey' ? 'API key' : 'OAuth client';
  try {
    // The text as read: should a server ever ignore the If-Match, it is written back unchanged.
    await client.setPolicy(integration.externalId, text, UNMATCHABLE_ETAG);
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'precondition-failed') {
      return passed(id, `the ${kind} may write the policy file: a write whose If-Match matches no version was refused with 412, so nothing was written`);
    }
    if (code === 'forbidden') {
      return failed(
        id,
        `the ${kind} is read-only: Tailscale refused a write with 403, so no grant can be written nor any expired one removed`,
        writeScopeFix(integration, credential),
      );
    }
    return warned(
      id,
      `a write could not be tried: ${describeError(error).message}`,
      'run symtail doctor again; if this stays, the error above says what the API answered',
    );
  }
  return warned(
    id,
    'Tailscale accepted a write whose If-Match matches no version (it wrote back the policy file as read): the API should have answered 412',
    'no action needed for symtail; concurrent editors of the policy file are not protected by If-Match on this API',
  );
}

/**
 * The target's group: a grant of a probe login, made in memory only, shows whether a real grant would find the group,
 * or create it (`createGroup`), or be refused.
 */
function groupLine(target: TargetManifest, text: string, now: Date): CheckLine {
  const id = groupLineId(target.name);
  const group = `group:${target.groupName}`;
  try {
    const result = grant(text, { group: target.groupName, member: PROBE_LOGIN, until: new Date(now.getTime() + 3_600_000), createGroup: target.createGroup });
    if (result.changes.some((c) => c.kind === 'group-created'))
      return passed(id, `${group} is not in the policy file yet; the first grant creates it (createGroup)`);
    return passed(id, `${group} is in the policy file`);
  } catch (error) {
    if (error instanceof MissingGroupError) {
      return failed(
        id,
        `${group} is not in the policy file, and target ${target.name} may not create it`,
        `add "${group}": [] to "groups" in the policy file (admin console → Access controls), or set createGroup on target ${target.name}`,
      );
    }
    return failed(
      id,
      `a grant to ${group} would be refused: ${describeError(error).message}`,
      'correct the policy file (admin console → Access controls) as the message says',
    );
  }
}

function credentialFailure(error: unknown, kind: string, tailnet: string): string {
  const e = error as { code?: string; status?: number };
  if (e.code === 'credential-refused') return `Tailscale refused the ${kind} (HTTP ${e.status ?? 401})`;
  if (e.code === 'not-found') return `Tailscale knows no tailnet ${JSON.stringify(tailnet)} for this ${kind} (HTTP 404)`;
  return `the policy file could not be read: ${describeError(error).message}`;
}

function credentialFix(error: unknown, integration: IntegrationManifest, credential: TailscaleCredential): string {
  const code = error instanceof TailscaleApiError ? error.code : undefined;
  if (code === 'credential-refused') {
    return credential.kind === 'apiKey'
      ? `the key was revoked, has expired or is mistyped: make a new API key (admin console → Settings → Keys) and put it in ${integration.credential.secretId}`
      : `the OAuth client was deleted or its secret is wrong: make a new one (admin console → Settings → OAuth clients, scope policy_file) and put its JSON in ${integration.credential.secretId}`;
  }
  if (code === 'not-found')
    return `set the integration's externalId to the tailnet's name (admin console → Settings → General), or "-" for the credential's own tailnet`;
  return `check that the function can reach ${integration.apiBaseUrl}, then run symtail doctor again`;
}

function writeScopeFix(integration: IntegrationManifest, credential: TailscaleCredential): string {
  return credential.kind === 'oauthClient'
    ? `give the OAuth client the policy_file scope (policy_file:read only reads): make a new client with it (admin console → Settings → OAuth clients) and put its JSON in ${integration.credential.secretId}`
    : `use an API key of an Owner, Admin or Network admin, who may edit the policy file, and put it in ${integration.credential.secretId}`;
}
