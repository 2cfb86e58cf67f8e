// The Lambda entry point, bundled by `npm run build` and zipped at synth beside the manifest it executes.
import * as path from 'node:path';
import { CredentialCache, SecretsManagerSource } from '../credentials';
import { AccessEngine } from '../engine';
import { loadManifest } from '../load-manifest';
import { createHandler } from './create-handler';

/** Loaded and re-validated at cold start: a broken manifest fails the first invocation, listing its problems. */
export const manifest = loadManifest(path.join(__dirname, 'manifest.json'));

const engine = new AccessEngine({ manifest, credentials: new CredentialCache(new SecretsManagerSource()) });

export const handler = createHandler(engine);
