import * as path from 'node:path';
import { findPackageRoot } from '../../lib/constructs/synth/handler-bundle';

/** The same from `scripts/bench` (tests) and from `dist/scripts/bench` (the built bench). */
export const REPO_ROOT = findPackageRoot(__dirname);

/** Real public policy files, shared beside the checkout and read in place. */
export const POLICY_CORPUS_DIR = path.resolve(REPO_ROOT, '../shared/policy-corpus');

export const EXAMPLE_POLICY_FILE = path.join(REPO_ROOT, 'examples/tailscale-ssh-access/policy.hujson');

/** Compiled worker scripts beside this module (the bench runs from `dist/`). */
export function workerScript(name: string): string {
  return path.join(__dirname, 'workers', `${name}.js`);
}
