// One runtime container of the revoke storm, as an OS process: its requests service and engine take actions from
// stdin, one JSON line each ({@link RaceJob}), run each after its jitter, and answer one JSON line each
// ({@link RaceJobResult}) in the order they finish. Says "ready" first; exits once stdin ends and every action is
// answered. Run from dist/ (the built requests service and engine) by {@link RaceWorker}.
import { createInterface } from 'node:readline';
import { Actor, RequestError, RequestService } from '../../lib/requests';
import { localDynamoDbClient, raceContainer } from './race-service';
import { RaceJob, RaceJobResult, READY } from './race-protocol';

/** A revoke that comes before the approval is refused while the request is pending: it tries again after this
 * long, doubling up to {@link RETRY_PENDING_MAX_MS}, so waiting revokes do not swamp the table. */
const RETRY_PENDING_MS = 2;
const RETRY_PENDING_MAX_MS = 64;
const GIVE_UP_MS = 20_000;

const actor = (email: string): Actor => ({ kind: 'iam', arn: `arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_Eng_0123456789abcdef/${email}`, email });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function act(service: RequestService, job: RaceJob): Promise<RaceJobResult> {
  await sleep(job.jitterMs);
  const started = Date.now();
  const done = (outcome: string) => ({ id: job.id, role: job.role, outcome, ms: Date.now() - started });
  for (;;) {
    try {
      const outcome = job.role === 'approve' ? await service.approve(actor(job.email), job.id) : await service.revoke(actor(job.email), job.id);
      return done(outcome.request.state);
    } catch (error) {
      const code = (error as { code?: string }).code ?? 'error';
      if (job.role !== 'revoke' || !(error instanceof RequestError) || code !== 'already-decided') return done(`error:${code}: ${(error as Error).message}`);
      // Refused while pending: wait, one read at a time, for the approval; approved or escalated, it is revocable.
      let state = (await service.get(actor(job.email), job.id)).request.state;
      for (let wait = RETRY_PENDING_MS; state === 'pending' && Date.now() - started < GIVE_UP_MS; wait = Math.min(2 * wait, RETRY_PENDING_MAX_MS)) {
        await sleep(wait);
        state = (await service.get(actor(job.email), job.id)).request.state;
      }
      if (state !== 'approved' && state !== 'escalated') return done(`error:${code}: ${(error as Error).message}`);
    }
  }
}

const [emulatorUrl, dynamoDbUrl, table] = process.argv.slice(2);
if (!emulatorUrl || !dynamoDbUrl || !table) {
  process.stderr.write('usage: revoke-race-worker <emulator url> <dynamodb url> <table>\n');
  process.exit(2);
}
const dynamoDb = localDynamoDbClient(dynamoDbUrl);
const { service } = raceContainer({ emulatorUrl, table, dynamoDb });
const running: Promise<void>[] = [];
createInterface({ input: process.stdin })
  .on('line', (line) => {
    running.push(act(service, JSON.parse(line) as RaceJob).then((result) => void process.stdout.write(`${JSON.stringify(result)}\n`)));
  })
  .on('close', () => {
    void Promise.all(running).then(() => dynamoDb.destroy());
  });
process.stdout.write(`${READY}\n`);
