import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import AdmZip from 'adm-zip';
import { Testing } from 'cdktf';
import { SymRuntime } from '../../lib/constructs';
import { buildModel, buildRuntime, buildSlack, synthesized, testStack } from '../constructs/fixtures';

export const WORKSPACE = { teamId: 'T0WORKSPACE', appId: 'A0SYMTAIL' };
export const SIGNING_SECRET = 'slack-signing-secret-canary-8f74';
export const BOT_TOKEN = 'xoxb-bot-token-canary-1234';
export const REQUESTS_CHANNEL = 'C0REQUESTS';
export const SECRET_IDS = { signing: 'sym/main/slack-signing-secret', bot: 'sym/main/slack-bot-token', tailscale: 'sym/main/tailscale-api-key' };
export const ROOT = path.resolve(__dirname, '../..');

/** The two packages synth wrote for an app with Slack, unpacked as Lambda would unpack them. */
export interface UnpackedSlackApp {
  readonly runtime: SymRuntime;
  readonly runtimeDir: string;
  readonly frontDoorDir: string;
  readonly scratch: string;
}

/** Synthesizes the test model with a Slack app, and unpacks the runtime and front-door zips into a scratch folder. */
export function unpackSlackApp(): UnpackedSlackApp {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'symtail-slack-'));
  const stack = testStack(Testing.app());
  const model = buildModel(stack, { flowParams: { requestsChannel: REQUESTS_CHANNEL } });
  const runtime = buildRuntime(stack, model, { slack: buildSlack(stack, model) });
  const functions = Object.values(synthesized(stack).resource.aws_lambda_function) as { function_name: string; source_code_hash: string }[];
  const runtimeHash = functions.find((f) => f.function_name === runtime.names.functionName)!.source_code_hash;
  const unpack = (zipFile: string, name: string) => {
    const dir = path.join(scratch, name);
    new AdmZip(zipFile).extractAllTo(dir);
    return dir;
  };
  return {
    runtime,
    runtimeDir: unpack(stagedZip(runtimeHash), 'runtime'),
    frontDoorDir: unpack(runtime.slackFrontDoor!.packageFile, 'front-door'),
    scratch,
  };
}

/** Where synth staged the zip whose SHA-256 (base64) is `sourceCodeHash`: staging names each zip by its hash. */
function stagedZip(sourceCodeHash: string): string {
  return path.join(os.tmpdir(), 'symtail-staging', `${Buffer.from(sourceCodeHash, 'base64').toString('hex')}.zip`);
}
