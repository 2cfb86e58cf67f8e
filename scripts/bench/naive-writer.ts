import { grant } from '../../lib/policy';
import { basicAuthorization } from '../../lib/tailscale/credential';
import { EMULATOR_API_KEY } from '../../lib/testing';
import { exchange } from './http-exchange';

/**
 * An escalation as several existing tools do it: read the policy file, add the member, write the whole file back
 * WITHOUT If-Match. The API accepts it, so whatever another writer saved in between is silently overwritten.
 */
export async function naiveEscalation(apiOrigin: string, group: string, member: string, until: Date): Promise<void> {
  const url = `${apiOrigin}/api/v2/tailnet/-/acl`;
  const authorization = basicAuthorization(EMULATOR_API_KEY);
  const read = await exchange(url, 'GET', { Authorization: authorization, Accept: 'application/hujson' });
  if (read.status !== 200) throw new Error(`naive read for ${member}: HTTP ${read.status}`);
  const { text } = grant(read.text, { group, member, until });
  const write = await exchange(url, 'POST', { Authorization: authorization, 'Content-Type': 'application/hujson' }, text);
  if (write.status !== 200) throw new Error(`naive write for ${member}: HTTP ${write.status}`);
}
