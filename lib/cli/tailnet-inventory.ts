import { CredentialFacts, SectionReading, TailnetInventory } from '../access';
import { apiKeyId, READ_SCOPES, TailscaleApiError, TailscaleClient, TailscaleCredential } from '../tailscale';

/** A section read through the API: a 403 is the section refused for want of `scope`; any other failure is the command's. */
async function section<T>(scope: string, read: () => Promise<T>): Promise<SectionReading<T>> {
  try {
    return { state: 'read', value: await read() };
  } catch (error) {
    if (error instanceof TailscaleApiError && error.code === 'forbidden') return { state: 'refused', scope };
    throw error;
  }
}

/** The credential's own expiry: an OAuth client has none; an API access token's is read by its id, when it has one. */
function credentialFacts(client: TailscaleClient, tailnet: string, credential: TailscaleCredential): Promise<SectionReading<CredentialFacts>> {
  if (credential.kind === 'oauthClient') return Promise.resolve({ state: 'read', value: { kind: 'oauth-client' } });
  const keyId = apiKeyId(credential.apiKey);
  if (keyId === undefined) return Promise.resolve({ state: 'read', value: { kind: 'api-key' } });
  return section(READ_SCOPES.keys, async () => {
    const { expires } = await client.getKey(tailnet, keyId);
    return expires === undefined ? { kind: 'api-key', keyId } : { kind: 'api-key', keyId, expires };
  });
}

/** Every promise's value; once all have settled, the first failure. No read is left running when this returns. */
async function settled<T extends readonly unknown[]>(promises: { [K in keyof T]: Promise<T[K]> }): Promise<T> {
  const results = await Promise.allSettled(promises);
  const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failure !== undefined) throw failure.reason;
  return results.map((r) => (r as PromiseFulfilledResult<unknown>).value) as unknown as T;
}

/**
 * Everything the report reads besides the policy file, with the caller's credential: devices, keys (each key's
 * details), settings, users and the credential's own expiry, at once. The API client's records are the report's
 * records (same field names), so they pass as they are.
 */
export async function readInventory(client: TailscaleClient, tailnet: string, credential: TailscaleCredential): Promise<TailnetInventory> {
  const [devices, keys, settings, users, own] = await settled<
    [TailnetInventory['devices'], TailnetInventory['keys'], TailnetInventory['settings'], TailnetInventory['users'], TailnetInventory['credential']]
  >([
    section(READ_SCOPES.devices, () => client.listDevices(tailnet)),
    section(READ_SCOPES.keys, () => client.listKeys(tailnet)),
    section(READ_SCOPES.settings, () => client.getSettings(tailnet)),
    section(READ_SCOPES.users, () => client.listUsers(tailnet)),
    credentialFacts(client, tailnet, credential),
  ]);
  return { devices, keys, settings, users, credential: own };
}
