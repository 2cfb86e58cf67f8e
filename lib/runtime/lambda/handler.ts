// The Lambda entry point, bundled by `npm run build` and zipped at synth beside the manifest it executes.
import * as path from 'node:path';
import { stdoutAuditSink } from '../audit';
import { CredentialCache, SecretsManagerSource } from '../credentials';
import { AccessEngine } from '../engine';
import { loadManifest } from '../load-manifest';
import { createHandler } from './create-handler';
import { InvocationDeadline } from './invocation-deadline';

/** Loaded and re-validated at cold start: a broken manifest fails the first invocation, listing its problems. */
export const manifest = loadManifest(path.join(__dirname, 'manifest.json'));

const deadline = new InvocationDeadline();
const engine = new AccessEngine({
  manifest,
  credentials: new CredentialCache(new SecretsManagerSource()),
  clientOptions: { endsAt: deadline.endsAt },
});

export const handler = createHandler(engine, stdoutAuditSink, deadline);
