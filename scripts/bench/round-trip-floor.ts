import { basicAuthorization } from '../../lib/tailscale/credential';
import { EMULATOR_API_KEY } from '../../lib/testing';
import { exchange } from './http-exchange';

/**
 * Two bare round trips with none of the product in them: read the policy file, write the same text back with
 * If-Match, over plain node:http. What the emulator, Node's HTTP stack and the timers cost on this machine, so the
 * product's own share of an escalation can be told apart from them.
 */
export async function roundTripFloorMs(apiOrigin: string): Promise<number> {
  const url = `${apiOrigin}/api/v2/tailnet/-/acl`;
  const authorization = basicAuthorization(EMULATOR_API_KEY);
  const start = performance.now();
  const read = await exchange(url, 'GET', { Authorization: authorization, Accept: 'application/hujson' });
  if (read.status !== 200 || read.etag === undefined) {
    throw new Error(`round-trip floor: read answered HTTP ${read.status}${read.etag === undefined ? ' without an ETag' : ''}`);
  }
  const write = await exchange(url, 'POST', { Authorization: authorization, 'Content-Type': 'application/hujson', 'If-Match': read.etag }, read.text);
  if (write.status !== 200) throw new Error(`round-trip floor: write answered HTTP ${write.status}`);
  return performance.now() - start;
}
