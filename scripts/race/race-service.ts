import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { requestIdsHeld } from '../../lib/policy';
import { AccessRequest, DynamoDbRequestStore, RequestService } from '../../lib/requests';
import { AccessEngine, EngineRequestAccess } from '../../lib/runtime';
import { EMULATOR_API_KEY, localRecordSeal } from '../../lib/testing';
import { exampleManifest } from '../fixtures/example-manifest';

/** Where the runtime containers of a race meet: one tailnet emulator and one requests table on a local DynamoDB. */
export interface RaceSetup {
  readonly emulatorUrl: string;
  readonly table: string;
  readonly dynamoDb: DynamoDBClient;
}

/** A DynamoDB client for a local DynamoDB at `url`. */
export function localDynamoDbClient(url: string): DynamoDBClient {
  return new DynamoDBClient({ endpoint: url, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
}

/**
 * One runtime container: its own engine (so its own queue of policy edits and its own Tailscale client) and its own
 * requests service over the shared table. Two containers race as two Lambda containers do: nothing orders their
 * edits but the tailnet's If-Match and the table's conditional writes. The one place the race suites build a service.
 */
export function raceContainer(setup: RaceSetup, options: { readonly newRequestId?: () => string } = {}): { service: RequestService; engine: AccessEngine } {
  const engine = new AccessEngine({
    manifest: exampleManifest(setup.emulatorUrl),
    credentials: { get: async () => ({ kind: 'apiKey', apiKey: EMULATOR_API_KEY }) },
    // Many containers write one file at once: conflicts are expected and absorbed, so a lost race of If-Match is
    // never what leaves a grant behind.
    clientOptions: { retry: { baseDelayMs: 10, maxDelayMs: 200, maxConflicts: 1000 }, deadlineMs: 60_000 },
    audit: () => undefined,
  });
  const service = new RequestService({
    store: new DynamoDbRequestStore(setup.table, setup.dynamoDb),
    access: new EngineRequestAccess(engine),
    // Every container seals with the same key, as every container of one runtime does.
    seal: localRecordSeal(),
    ...(options.newRequestId === undefined ? {} : { newRequestId: options.newRequestId }),
  });
  return { service, engine };
}

/** What is left where it should not be, once every actor of a race is done. */
export interface Leftovers {
  /** Grant annotations in the policy whose request is not escalated: `<request id> (<state>)`. */
  readonly grantsOfClosedRequests: string[];
  /** Escalated requests no annotation in the policy carries. */
  readonly escalatedWithoutGrant: string[];
}

/**
 * Compares the policy file with the requests: each grant carrying a request id must belong to an escalated request,
 * and each escalated request must have its grant. Annotations of ids not among `requests` are not counted.
 */
export function leftovers(policy: string, requests: readonly AccessRequest[]): Leftovers {
  const held = new Set(requestIdsHeld(policy));
  const byId = new Map(requests.map((r) => [r.id, r]));
  return {
    grantsOfClosedRequests: [...held].filter((id) => byId.has(id) && byId.get(id)!.state !== 'escalated').map((id) => `${id} (${byId.get(id)!.state})`),
    escalatedWithoutGrant: requests.filter((r) => r.state === 'escalated' && !held.has(r.id)).map((r) => r.id),
  };
}
