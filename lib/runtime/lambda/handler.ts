// Placeholder runtime: it proves the package is sound (the manifest it carries loads and validates) and answers
// every event, but executes none yet.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Manifest, validateManifest } from '../../manifest';

const ACTIONS = ['escalate', 'deescalate', 'sweep', 'status'] as const;

export interface HandlerResult {
  readonly ok: boolean;
  readonly error?: string;
}

/** Reads and validates the manifest packaged beside this file; any problem fails the cold start, listed. */
function loadManifest(file: string): Manifest {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`cannot read the strategy manifest ${file}: ${(error as NodeJS.ErrnoException).code ?? error}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error(`the strategy manifest ${file} is not JSON: ${(error as Error).message}`);
  }
  return validateManifest(value);
}

export const manifest: Manifest = loadManifest(path.join(__dirname, 'manifest.json'));

export async function handler(event: unknown): Promise<HandlerResult> {
  if (typeof event !== 'object' || event === null || Array.isArray(event)) {
    return { ok: false, error: 'event: expected an object with an "action" field' };
  }
  const action = (event as { action?: unknown }).action;
  if (!ACTIONS.includes(action as (typeof ACTIONS)[number])) {
    const given = action === undefined ? 'nothing' : JSON.stringify(action).slice(0, 64);
    return { ok: false, error: `event.action: expected one of ${ACTIONS.map((a) => `"${a}"`).join(', ')}, got ${given}` };
  }
  return { ok: false, error: `not implemented in this version: ${action}` };
}
