import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { TailnetInventoryFixture } from '../../lib/testing';

const EXAMPLE = path.resolve(__dirname, '../../examples/tailscale-ssh-access');

/** The example tailnet's policy file. */
export const EXAMPLE_POLICY_FILE = path.join(EXAMPLE, 'policy.hujson');
/** The example tailnet's devices, keys, settings and users: Tailscale's API reference examples, rewritten. */
export const EXAMPLE_INVENTORY_FILE = path.join(EXAMPLE, 'tailnet.json');

/** A fresh copy of the example inventory, for a test to change as it likes. */
export function exampleInventory(): Required<TailnetInventoryFixture> {
  return JSON.parse(readFileSync(EXAMPLE_INVENTORY_FILE, 'utf8')) as Required<TailnetInventoryFixture>;
}
