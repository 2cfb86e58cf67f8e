// The Lambda entry point, bundled by `npm run build` and zipped at synth beside the manifest it executes.
import * as path from 'node:path';
import {
  DynamoDbConnection,
  DynamoDbProofLedger,
  DynamoDbRequestStore,
  DynamoDbSweepRecord,
  KmsMacKey,
  EVENT_BUS_VARIABLE,
  EventBridgeRequestEvents,
  kmsRecordSeal,
  RECORD_KEY_VARIABLE,
  REQUESTS_TABLE_VARIABLE,
} from '../../requests';
import { SlackApi } from '../../slack';
import { stdoutAuditSink } from '../audit';
import { CredentialCache, SecretsManagerSource, SecretTextCache } from '../credentials';
import { RuntimeDoctor, scheduleFromEnvironment, SecretsManagerProbe } from '../doctor';
import { AccessEngine } from '../engine';
import { StsCallerIdentity } from '../function-url/identity-proof';
import { OwnFunctionUrl } from '../function-url/own-url';
import { wireRequests } from '../function-url/requests-route';
import { loadManifest } from '../load-manifest';
import { PagerDutyOnCall } from '../pagerduty-on-call';
import { EngineRequestAccess } from '../request-access';
import { wireSlack } from '../slack-route';
import { createHandler } from './create-handler';
import { InvocationDeadline } from './invocation-deadline';

/** Loaded and re-validated at cold start: a broken manifest fails the first invocation, listing its problems. */
export const manifest = loadManifest(path.join(__dirname, 'manifest.json'));

/** Set by the constructs to the table they synthesize; without it the function serves no requests. */
const requestsTable = process.env[REQUESTS_TABLE_VARIABLE];

const deadline = new InvocationDeadline();
const secrets = new SecretsManagerSource(undefined, deadline.endsAt);
const engine = new AccessEngine({
  manifest,
  credentials: new CredentialCache(secrets),
  clientOptions: { endsAt: deadline.endsAt },
});
// One DynamoDB client, made on first use, for the requests and the used identity proofs beside them.
const table = new DynamoDbConnection();
const store = requestsTable ? new DynamoDbRequestStore(requestsTable, table) : undefined;
// Every request record is sealed with the runtime's KMS HMAC key; a function with a table but no key (a
// misdeployment) refuses every request, naming the variable, rather than write records nothing can verify.
const recordKeyArn = process.env[RECORD_KEY_VARIABLE] || undefined;
const seal = kmsRecordSeal(recordKeyArn);
// Each scheduled sweep notes itself in the table, for the check's schedule lines.
const sweepRecord = requestsTable ? new DynamoDbSweepRecord(requestsTable, table) : undefined;
// Every state change of a request goes on the bus the constructs name (the account's default bus without one).
const events = store && new EventBridgeRequestEvents(process.env[EVENT_BUS_VARIABLE] || undefined);
// Slack needs the requests table: a request made in Slack is stored like any other.
const access = new EngineRequestAccess(engine);
const secretTexts = new SecretTextCache(secrets);
// Flows with an on-call rule ask PagerDuty, with the flow's token, whether a new request's requester is on call.
const onCall = Object.values(manifest.flows).some((f) => f.onCall !== undefined) ? new PagerDutyOnCall(manifest, secretTexts) : undefined;
const slack = store && wireSlack({ manifest, engine, store, access, seal, secrets: secretTexts, audit: stdoutAuditSink, events, ...(onCall && { onCall }) });
// The requests API's callers are who STS says they are: each call's proof is sent to STS (AWS's endpoint, or
// AWS_ENDPOINT_URL_STS as the SDK reads it) and must name this function's URL, which Lambda is asked once.
const identity = requestsTable
  ? new StsCallerIdentity({
      ledger: new DynamoDbProofLedger(requestsTable, table),
      ownUrlHost: new OwnFunctionUrl().hostOf,
      stsEndpointOverride: process.env.AWS_ENDPOINT_URL_STS,
    })
  : undefined;
const requests =
  store && identity
    ? wireRequests({
        engine,
        store,
        identity,
        access,
        seal,
        events,
        audit: stdoutAuditSink,
        ...(slack ? { notifier: slack.notifier } : {}),
        ...(onCall && { onCall }),
      })
    : undefined;

// `{"action":"check"}`: the deployment checked as the runtime uses it, nothing changed (symtail doctor).
const doctor = new RuntimeDoctor({
  manifest,
  secrets: new SecretsManagerProbe(secrets),
  clientOptions: { endsAt: deadline.endsAt },
  ...(requestsTable && sweepRecord ? { table: { name: requestsTable, sweepRecord } } : {}),
  ...(recordKeyArn ? { recordKey: { arn: recordKeyArn, key: new KmsMacKey(recordKeyArn) } } : {}),
  schedule: scheduleFromEnvironment(process.env),
  slackIdentity: (botToken, apiUrl) => new SlackApi({ botToken, apiUrl }).authTest(),
});

export const handler = createHandler(engine, stdoutAuditSink, deadline, {
  ...(requests && { routes: [requests.route, ...(slack ? [slack.route] : [])], requests: requests.service }),
  // Reminders are sent in Slack: without it there are none.
  ...(slack && { reminders: slack.reminders }),
  sweepRecord,
  doctor,
});
