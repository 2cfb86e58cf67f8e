import type { AttributeValue, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDbConnection, isConditionFailure } from './dynamodb-connection';
import { REQUESTS_TABLE as T } from './table-layout';

/**
 * The sweep's own record in the requests table: one item, whose key carries a `#` as every item that is not a
 * request does (no request id can, see the store's scan). Written by every scheduled sweep, read by the runtime's
 * check: so the function can tell how long ago the schedule last invoked it and the last sweep succeeded, with the
 * table permissions it already has, and no EventBridge or CloudWatch permission.
 */
export const SWEEP_RECORD_KEY = 'sweep#last';

/**
 * The environment variables that tell the runtime about its schedule, as the constructs set them: the EventBridge
 * rule that starts sweeps (named in the check's fixes), and the minutes without a successful sweep after which the
 * "sweep stalled" alarm fires (the check judges the record's age by the same measure).
 */
export const SWEEP_VARIABLES = {
  rule: 'SYMTAIL_SWEEP_RULE',
  alarmMinutes: 'SYMTAIL_SWEEP_ALARM_MINUTES',
} as const;

/** The sweep alarm's minutes when the constructs are not told otherwise (`sweepAlarmMinutes`). */
export const DEFAULT_SWEEP_ALARM_MINUTES = 15;

/** What the record says: ISO 8601 times, absent until the first sweep that got so far. */
export interface SweepTimes {
  /** When the latest sweep started. */
  readonly startedAt?: string;
  /** When the latest sweep that finished without an error finished. */
  readonly succeededAt?: string;
  /** When the latest failed sweep failed, and why. */
  readonly failedAt?: string;
  readonly failure?: { readonly code: string; readonly message: string };
}

/** Where the sweep notes its runs. */
export interface SweepRecord {
  started(at: Date): Promise<void>;
  succeeded(at: Date): Promise<void>;
  failed(at: Date, error: { readonly code: string; readonly message: string }): Promise<void>;
  /** The record, or undefined when no sweep has written it yet; throws when the table cannot be read. */
  read(): Promise<SweepTimes | undefined>;
}

const ATTRIBUTES = { startedAt: 'sweepStartedAt', succeededAt: 'sweepSucceededAt', failedAt: 'sweepFailedAt', failure: 'sweepFailure' } as const;
/** A failure's message is kept short: the audit line of the sweep has it whole. */
const MAX_MESSAGE = 500;

/**
 * The sweep record on DynamoDB. Each time is set with `UpdateItem` only when it is later than the one stored, so two
 * overlapping sweeps (a slow one and the next minute's) never move it back.
 */
export class DynamoDbSweepRecord implements SweepRecord {
  private readonly connection: DynamoDbConnection;

  constructor(
    readonly tableName: string,
    client?: DynamoDBClient | DynamoDbConnection,
  ) {
    this.connection = client instanceof DynamoDbConnection ? client : new DynamoDbConnection(client);
  }

  started(at: Date): Promise<void> {
    return this.note('startedAt', at);
  }

  succeeded(at: Date): Promise<void> {
    return this.note('succeededAt', at);
  }

  failed(at: Date, error: { readonly code: string; readonly message: string }): Promise<void> {
    const failure = JSON.stringify({ code: error.code, message: error.message.slice(0, MAX_MESSAGE) });
    return this.note('failedAt', at, { [ATTRIBUTES.failure]: { S: failure } });
  }

  async read(): Promise<SweepTimes | undefined> {
    const { sdk, client } = this.connection.get();
    const out = await client.send(new sdk.GetItemCommand({ TableName: this.tableName, Key: { [T.key]: { S: SWEEP_RECORD_KEY } }, ConsistentRead: true }));
    if (out.Item === undefined) return undefined;
    const text = (name: string) => out.Item![name]?.S;
    const failure = text(ATTRIBUTES.failure);
    return {
      ...optional('startedAt', text(ATTRIBUTES.startedAt)),
      ...optional('succeededAt', text(ATTRIBUTES.succeededAt)),
      ...optional('failedAt', text(ATTRIBUTES.failedAt)),
      ...(failure === undefined ? {} : { failure: JSON.parse(failure) as SweepTimes['failure'] }),
    };
  }

  private async note(field: 'startedAt' | 'succeededAt' | 'failedAt', at: Date, extra: Record<string, AttributeValue> = {}): Promise<void> {
    const { sdk, client } = this.connection.get();
    const names: Record<string, string> = { '#t': ATTRIBUTES[field] };
    const values: Record<string, AttributeValue> = { ':t': { S: at.toISOString() } };
    const set = ['#t = :t'];
    for (const [i, [name, value]] of Object.entries(extra).entries()) {
      names[`#x${i}`] = name;
      values[`:x${i}`] = value;
      set.push(`#x${i} = :x${i}`);
    }
    try {
      await client.send(
        new sdk.UpdateItemCommand({
          TableName: this.tableName,
          Key: { [T.key]: { S: SWEEP_RECORD_KEY } },
          UpdateExpression: `SET ${set.join(', ')}`,
          ConditionExpression: 'attribute_not_exists(#t) OR #t < :t',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      );
    } catch (error) {
      // A later sweep already wrote a later time: that one stands.
      if (!isConditionFailure(error)) throw error;
    }
  }
}

function optional<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, string>);
}
