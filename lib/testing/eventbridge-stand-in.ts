import { randomUUID } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { readBody, send } from './http-io';

/** One entry the stand-in accepted onto a bus. */
export interface RecordedEvent {
  readonly id: string;
  /** The bus as the entry named it (name or ARN); `default` when it named none. */
  readonly eventBusName: string;
  readonly source: string;
  readonly detailType: string;
  readonly detail: Record<string, unknown>;
  /** ISO 8601, as the entry gave it (EventBridge's time of receipt when it gave none). */
  readonly time: string;
}

/**
 * What the stand-in does with the next calls: accept them; refuse every entry in a 200 answer with
 * `FailedEntryCount` (as EventBridge does when it is throttled or the bus is missing); or answer every call with a
 * 500, as a service that is down.
 */
export type EventBridgeFault = 'none' | 'fail-entries' | 'down';

const MAX_BODY = 1024 * 1024;
/** EventBridge's limits: ten entries a call, 256 KB for all of them. */
const MAX_ENTRIES = 10;
const MAX_ENTRIES_BYTES = 256 * 1024;

class EventsFault extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

/**
 * A local stand-in for EventBridge's `PutEvents`, for the AWS SDK pointed here with `AWS_ENDPOINT_URL_EVENTBRIDGE`:
 * the AWS JSON 1.1 protocol (`X-Amz-Target: AWSEvents.PutEvents`), SigV4-signed for `events`, at most ten entries
 * each with `Source`, `DetailType` and a `Detail` that is a JSON object. Accepted entries are recorded in order;
 * {@link fault} makes it refuse entries or be down.
 */
export class EventBridgeStandIn {
  readonly events: RecordedEvent[] = [];
  /** Every `PutEvents` call, answered or not. */
  calls = 0;
  fault: EventBridgeFault = 'none';
  private origin = '';

  private constructor(private readonly server: Server) {}

  static async start(): Promise<EventBridgeStandIn> {
    let standIn!: EventBridgeStandIn;
    const server = createServer((req, res) => void standIn.handle(req, res));
    standIn = new EventBridgeStandIn(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    standIn.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return standIn;
  }

  get url(): string {
    return this.origin;
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const read = await readBody(req, MAX_BODY);
      if (!/\bCredential=[^/]+\/\d{8}\/[^/]+\/events\/aws4_request\b/.test(String(req.headers.authorization ?? ''))) {
        throw new EventsFault('MissingAuthenticationTokenException', 'Missing Authentication Token');
      }
      if (req.method !== 'POST' || req.headers['x-amz-target'] !== 'AWSEvents.PutEvents') throw new EventsFault('UnknownOperationException', '');
      this.calls++;
      if (this.fault === 'down') throw new EventsFault('InternalException', 'the stand-in is down', 500);
      if (read.kind !== 'text') throw new EventsFault('SerializationException', 'the body is not UTF-8 JSON of at most 1 MB');
      reply(res, 200, this.put(entriesOf(read.text)));
    } catch (error) {
      const fault = error instanceof EventsFault ? error : new EventsFault('InternalException', String(error), 500);
      reply(res, fault.status, { __type: fault.type, message: fault.message });
    }
  }

  private put(entries: Record<string, unknown>[]): Record<string, unknown> {
    if (this.fault === 'fail-entries') {
      return { FailedEntryCount: entries.length, Entries: entries.map(() => ({ ErrorCode: 'ThrottlingException', ErrorMessage: 'Rate exceeded' })) };
    }
    const answers = entries.map((entry) => {
      const id = randomUUID();
      const time = typeof entry.Time === 'number' ? new Date(entry.Time * 1000).toISOString() : new Date().toISOString();
      this.events.push({
        id,
        eventBusName: typeof entry.EventBusName === 'string' ? entry.EventBusName : 'default',
        source: entry.Source as string,
        detailType: entry.DetailType as string,
        detail: JSON.parse(entry.Detail as string) as Record<string, unknown>,
        time,
      });
      return { EventId: id };
    });
    return { FailedEntryCount: 0, Entries: answers };
  }
}

function entriesOf(text: string): Record<string, unknown>[] {
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch {
    throw new EventsFault('SerializationException', 'the body is not JSON');
  }
  const entries = (input as { Entries?: unknown } | null)?.Entries;
  if (!Array.isArray(entries) || entries.length < 1 || entries.length > MAX_ENTRIES) {
    throw new EventsFault(
      'ValidationException',
      `1 validation error detected: Value at 'entries' failed to satisfy constraint: Member must have length between 1 and ${MAX_ENTRIES}`,
    );
  }
  if (Buffer.byteLength(JSON.stringify(entries)) > MAX_ENTRIES_BYTES)
    throw new EventsFault('ValidationException', 'Total size of the entries in the request is over the limit.');
  for (const [i, entry] of entries.entries()) {
    const e = entry as Record<string, unknown>;
    for (const field of ['Source', 'DetailType', 'Detail']) {
      if (typeof e[field] !== 'string' || e[field] === '') throw new EventsFault('ValidationException', `entries[${i}].${field}: required`);
    }
    let detail: unknown;
    try {
      detail = JSON.parse(e.Detail as string);
    } catch {
      detail = undefined;
    }
    if (detail === null || typeof detail !== 'object' || Array.isArray(detail))
      throw new EventsFault('ValidationException', `entries[${i}].Detail: not a JSON object`);
  }
  return entries as Record<string, unknown>[];
}

function reply(res: ServerResponse, status: number, body: object): void {
  send(res, status, JSON.stringify(body), { 'Content-Type': 'application/x-amz-json-1.1', 'x-amzn-RequestId': randomUUID() });
}
