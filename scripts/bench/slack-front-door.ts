import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { FakeSecretsManager, LambdaProcess, LambdaStandIn, localAwsEnvironment, signedSlackEvent, slashCommandBody } from '../../lib/testing';
import { SLACK_FIXTURE, slackUser, synthesizeSlackAccess } from '../fixtures/slack-deployment';
import { BenchSettings, FigureResult, ms } from './figure';
import { REPO_ROOT } from './repo-paths';
import { median, percentile, round3 } from './stats';
import { FRONT_DOOR_VARIABLES } from '../../lib/slack';

/** Slack gives up on a request URL after 3 s; a cold answer should be well under it. */
const COLD_TARGET_MS = 1000;
const WARM_TARGET_MS = 100;
const WARM_ANSWERS = 100;

/**
 * Figure 6: the Slack front door as synthesized: its zip, and how soon it answers Slack. Each cold run is a fresh
 * `node` process (the front door's own container): wall time from spawning it to its first answer, which loads the
 * module, reads the signing secret and hands off with one `Invoke`. Then warm answers in the same process. Secrets
 * Manager and Lambda are loopback stand-ins, so AWS's own latency (tens of ms per call in-region) comes on top.
 */
export async function slackFigure(settings: BenchSettings): Promise<FigureResult> {
  const scratch = mkdtempSync(path.join(tmpdir(), 'symtail-bench-slack-'));
  const secretId = 'sym/main/slack-signing-secret';
  const secrets = await FakeSecretsManager.start({ [secretId]: SLACK_FIXTURE.signingSecret });
  const lambda = await LambdaStandIn.start(async () => undefined);
  try {
    const app = synthesizeSlackAccess(scratch);
    const env = {
      ...localAwsEnvironment({ secretsManager: secrets.url, lambda: lambda.url }),
      [FRONT_DOOR_VARIABLES.runtimeFunction]: 'symtail-main-runtime',
      [FRONT_DOOR_VARIABLES.signingSecretId]: secretId,
    };
    const event = (n: number) => signedSlackEvent(SLACK_FIXTURE.signingSecret, slashCommandBody(slackUser('U0ALICE'), { triggerId: `t-${n}` }));
    const cold: number[] = [];
    const load: number[] = [];
    const warm: number[] = [];
    const runs = settings.quick ? 3 : 7;
    for (let run = 0; run < runs; run++) {
      const started = performance.now();
      const frontDoor = await LambdaProcess.start({ dir: app.frontDoorDir, env, nodePath: path.join(REPO_ROOT, 'node_modules') });
      try {
        const answer = (await frontDoor.invoke(event(run))) as { statusCode: number };
        if (answer.statusCode !== 200) throw new Error(`front door answered ${answer.statusCode}`);
        cold.push(performance.now() - started);
        load.push(frontDoor.loadMs);
        if (run === runs - 1) {
          for (let n = 0; n < (settings.quick ? 20 : WARM_ANSWERS); n++) {
            const t = performance.now();
            await frontDoor.invoke(event(1000 + n));
            warm.push(performance.now() - t);
          }
        }
      } finally {
        await frontDoor.stop();
      }
    }
    const coldMs = median(cold);
    const warmP50 = median(warm);
    const warmP95 = percentile(warm, 95);
    return {
      title: '6. Slack front door',
      json: {
        zipBytes: app.zipBytes.frontDoor,
        coldAnswerMs: round3(coldMs),
        coldRuns: runs,
        moduleLoadMs: round3(median(load)),
        warmP50Ms: round3(warmP50),
        warmP95Ms: round3(warmP95),
        warmAnswers: warm.length,
        measured:
          'wall time: spawn of a fresh node process to its first answer (cold); one answer in a loaded process (warm); loopback Secrets Manager and Lambda',
      },
      rows: [
        { metric: 'front door zip', value: `${(app.zipBytes.frontDoor / 1000).toFixed(1)} KB` },
        {
          metric: 'cold: process start → answer (load, secret, Invoke)',
          value: ms(coldMs),
          target: `≤ ${COLD_TARGET_MS} ms (Slack: 3 s)`,
          met: coldMs <= COLD_TARGET_MS,
        },
        { metric: 'of which module load', value: ms(median(load)) },
        { metric: 'warm answer p50 / p95', value: `${ms(warmP50)} / ${ms(warmP95)}`, target: `≤ ${WARM_TARGET_MS} ms`, met: warmP95 <= WARM_TARGET_MS },
      ],
    };
  } finally {
    await lambda.stop();
    await secrets.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
}
