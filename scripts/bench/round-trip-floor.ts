import { basicAuthorization } from '../../lib/tailscale/credential';
import { EMULATOR_API_KEY } from '../../lib/testing';
import { exchange } from './http-exchange';

const AUTHORIZATION = basicAuthorization(EMULATOR_API_KEY);
const policyUrl = (apiOrigin: string) => `${apiOrigin}/api/v2/tailnet/-/acl`;

/**
 * Two bare round trips with none of the product in them: read the policy file, write the same text back with
 * If-Match, over plain node:http. What every read-then-write client pays at least (every peer tool does this), and
 * what the emulator, Node's HTTP stack and the timers cost on this machine.
 */
export async function roundTripFloorMs(apiOrigin: string): Promise<number> {
  const start = performance.now();
  const read = await readPolicy(apiOrigin, 'round-trip floor');
  await writePolicy(apiOrigin, read.text, read.etag, 'round-trip floor');
  return performance.now() - start;
}

/**
 * One bare round trip: the write alone, with If-Match, as a client that kept the text and ETag of its last read or
 * write sends it (the runtime's warm path). The text is read first, untimed, so the write never meets a 412.
 */
export async function oneRoundTripFloorMs(apiOrigin: string): Promise<number> {
  const read = await readPolicy(apiOrigin, 'one-round-trip floor');
  const start = performance.now();
  await writePolicy(apiOrigin, read.text, read.etag, 'one-round-trip floor');
  return performance.now() - start;
}

async function readPolicy(apiOrigin: string, what: string): Promise<{ text: string; etag: string }> {
  const read = await exchange(policyUrl(apiOrigin), 'GET', { Authorization: AUTHORIZATION, Accept: 'application/hujson' });
  if (read.status !== 200 || read.etag === undefined) {
    throw new Error(`${what}: read answered HTTP ${read.status}${read.etag === undefined ? ' without an ETag' : ''}`);
  }
  return { text: read.text, etag: read.etag };
}

async function writePolicy(apiOrigin: string, text: string, etag: string, what: string): Promise<void> {
  const write = await exchange(policyUrl(apiOrigin), 'POST', { Authorization: AUTHORIZATION, 'Content-Type': 'application/hujson', 'If-Match': etag }, text);
  if (write.status !== 200) throw new Error(`${what}: write answered HTTP ${write.status}`);
}
