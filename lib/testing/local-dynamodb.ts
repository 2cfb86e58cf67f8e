import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AttributeValue, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { AccessRequest, isOpen, REQUESTS_TABLE as T } from '../requests';
import { HeldCall, Hold } from './held-call';

type Sdk = typeof import('@aws-sdk/client-dynamodb');

/** The access key of `items`' reads, which are not recorded. */
const INSPECTOR_KEY = 'local-inspector';

/** What a local DynamoDB was asked, operation by operation (`GetItem`, `UpdateItem`, ...), in order. */
export interface DynamoDbCall {
  readonly operation: string;
}

/**
 * A local DynamoDB on loopback (dynalite, in memory: conditional writes and indexes, no transactions, no TTL), with
 * the requests table made as the constructs synthesize it. Point the AWS SDK at `url` with `AWS_ENDPOINT_URL_DYNAMODB`.
 */
export class LocalDynamoDb {
  /** Every call received, in order. */
  readonly calls: DynamoDbCall[] = [];
  /** Holds not yet taken, by operation, each for the next call of its operation. */
  private readonly waiting: { operation: string; hold: HeldCall }[] = [];
  private readonly holds: HeldCall[] = [];

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {
    // dynalite's own handler runs only once a held call is released; until then the call's body waits unread.
    const serve = server.listeners('request') as ((req: IncomingMessage, res: ServerResponse) => void)[];
    server.removeAllListeners('request');
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      // This class's own reads (`items`) are not calls of the code under test: served, never recorded or held.
      if (String(req.headers.authorization ?? '').includes(`Credential=${INSPECTOR_KEY}/`)) return serve.forEach((handler) => handler(req, res));
      const target = String(req.headers['x-amz-target'] ?? '');
      const operation = target.slice(target.indexOf('.') + 1);
      this.calls.push({ operation });
      const i = this.waiting.findIndex((w) => w.operation === operation);
      const held = i < 0 ? undefined : this.waiting.splice(i, 1)[0].hold;
      const go = () => serve.forEach((handler) => handler(req, res));
      if (held === undefined) go();
      else void held.wait().then(go);
    });
  }

  /**
   * The next call of `operation` (`UpdateItem`, ...) is held on arrival, before the table sees it, until released:
   * a conditional write in flight while the test lets another writer change the item under it.
   */
  holdNext(operation: string): Hold {
    const hold = new HeldCall();
    this.holds.push(hold);
    this.waiting.push({ operation, hold });
    return hold;
  }

  /** Starts the server; `tables` are made empty, each with the requests table's key and index. */
  static async start(tables: readonly string[] = []): Promise<LocalDynamoDb> {
    // A development dependency: loaded only when a local DynamoDB is asked for.
    const dynalite = require('dynalite') as (options: object) => Server;
    const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const local = new LocalDynamoDb(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    for (const table of tables) await local.createRequestsTable(table);
    return local;
  }

  /** Calls that wrote (put, update, delete), in order. */
  get writes(): DynamoDbCall[] {
    return this.calls.filter((c) => /^(PutItem|UpdateItem|DeleteItem)$/.test(c.operation));
  }

  /**
   * Every item of `table`, by key, as stored (attribute values as DynamoDB's JSON): what a test compares to show that
   * a refused call changed nothing. Used identity proofs (`proof#…`) are items too.
   */
  async items(table: string): Promise<Record<string, Record<string, unknown>>> {
    const { DynamoDBClient, ScanCommand } = require('@aws-sdk/client-dynamodb') as typeof import('@aws-sdk/client-dynamodb');
    const client = new DynamoDBClient({ endpoint: this.url, region: 'us-east-1', credentials: { accessKeyId: INSPECTOR_KEY, secretAccessKey: 'local' } });
    const items: Record<string, Record<string, unknown>> = {};
    try {
      let start: Record<string, import('@aws-sdk/client-dynamodb').AttributeValue> | undefined;
      do {
        const out = await client.send(new ScanCommand({ TableName: table, ConsistentRead: true, ExclusiveStartKey: start }));
        for (const item of out.Items ?? []) items[String(item[T.key]?.S)] = item;
        start = out.LastEvaluatedKey;
      } while (start !== undefined);
    } finally {
      client.destroy();
    }
    return items;
  }

  /** Makes an empty requests table named `name`. */
  async createRequestsTable(name: string): Promise<void> {
    const {
      sdk: { CreateTableCommand, DescribeTableCommand },
      client,
    } = this.connect();
    try {
      await client.send(
        new CreateTableCommand({
          TableName: name,
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: [
            { AttributeName: T.key, AttributeType: 'S' },
            { AttributeName: T.openState, AttributeType: 'S' },
            { AttributeName: T.due, AttributeType: 'S' },
            { AttributeName: T.eventsPending, AttributeType: 'S' },
          ],
          KeySchema: [{ AttributeName: T.key, KeyType: 'HASH' }],
          GlobalSecondaryIndexes: [
            {
              IndexName: T.openIndex,
              KeySchema: [
                { AttributeName: T.openState, KeyType: 'HASH' },
                { AttributeName: T.due, KeyType: 'RANGE' },
              ],
              Projection: { ProjectionType: 'ALL' },
            },
            { IndexName: T.eventsIndex, KeySchema: [{ AttributeName: T.eventsPending, KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } },
          ],
        }),
      );
      // dynalite answers CreateTable while the table is CREATING and turns it ACTIVE on a timer; a write that comes
      // first is refused with ResourceNotFoundException (seen on a loaded machine). Return once it is ACTIVE.
      for (let attempt = 0; ; attempt++) {
        const { Table } = await client.send(new DescribeTableCommand({ TableName: name }));
        if (Table?.TableStatus === 'ACTIVE') break;
        if (attempt >= 200) throw new Error(`local DynamoDB: table ${name} is still ${Table?.TableStatus} after 2 s`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    } finally {
      client.destroy();
    }
  }

  /** Deletes the table `name` and everything in it, as `aws dynamodb delete-table` does; returns once it is gone. */
  async deleteTable(name: string): Promise<void> {
    const {
      sdk: { DeleteTableCommand, DescribeTableCommand },
      client,
    } = this.connect();
    try {
      await client.send(new DeleteTableCommand({ TableName: name }));
      for (let attempt = 0; ; attempt++) {
        try {
          await client.send(new DescribeTableCommand({ TableName: name }));
        } catch (error) {
          if ((error as { name?: string }).name === 'ResourceNotFoundException') return;
          throw error;
        }
        if (attempt >= 200) throw new Error(`local DynamoDB: table ${name} is still there after 2 s`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    } finally {
      client.destroy();
    }
  }

  /**
   * Writes a request item as anyone with `dynamodb:PutItem` on the table can, bypassing the runtime: one `PutItem` in
   * the table's layout, carrying `request.mac` as it is (none when absent). For tests of what a forgery can do.
   */
  async forgeRequest(table: string, request: AccessRequest): Promise<void> {
    const { version, mac, notification: _notification, ...doc } = request;
    const open = isOpen(request.state);
    const item: Record<string, AttributeValue> = {
      [T.key]: { S: request.id },
      [T.version]: { N: String(version) },
      [T.state]: { S: request.state },
      [T.document]: { S: JSON.stringify(doc) },
      ...(open && { [T.openState]: { S: request.state }, [T.due]: { S: request.until ?? request.deadline } }),
      ...(mac !== undefined && { [T.mac]: { S: mac } }),
    };
    const { sdk, client } = this.connect();
    try {
      await client.send(new sdk.PutItemCommand({ TableName: table, Item: item }));
    } finally {
      client.destroy();
    }
  }

  /**
   * Changes a stored request as anyone with `dynamodb:UpdateItem` on the table can, bypassing the runtime: one
   * `UpdateItem` of its document and state (and the index's copy of the state), leaving its version and MAC as they
   * were. `index` sets the open index's attributes to what it gives instead: `openState` (the index's copy of the
   * state) and `due` (when the sweep next looks at it).
   */
  async rewriteRequest(
    table: string,
    id: string,
    change: (request: AccessRequest) => AccessRequest,
    index: { readonly openState?: string; readonly due?: string } = {},
  ): Promise<void> {
    const { sdk, client } = this.connect();
    try {
      const { Item } = await client.send(new sdk.GetItemCommand({ TableName: table, Key: { [T.key]: { S: id } }, ConsistentRead: true }));
      if (Item === undefined) throw new Error(`local DynamoDB: no request ${id} in ${table}`);
      const { version: _version, mac: _mac, notification: _notification, ...doc } = change(JSON.parse(Item[T.document].S!) as AccessRequest);
      const names: Record<string, string> = { '#doc': T.document, '#state': T.state, '#open': T.openState };
      const values: Record<string, AttributeValue> = {
        ':doc': { S: JSON.stringify(doc) },
        ':state': { S: doc.state },
        ':open': { S: index.openState ?? doc.state },
      };
      const set = ['#doc = :doc', '#state = :state', '#open = :open'];
      if (index.due !== undefined) {
        names['#due'] = T.due;
        values[':due'] = { S: index.due };
        set.push('#due = :due');
      }
      await client.send(
        new sdk.UpdateItemCommand({
          TableName: table,
          Key: { [T.key]: { S: id } },
          UpdateExpression: `SET ${set.join(', ')}`,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      );
    } finally {
      client.destroy();
    }
  }

  /** A client of this DynamoDB; the caller destroys it. The SDK, a development dependency here, is loaded on first use. */
  private connect(): { sdk: Sdk; client: DynamoDBClient } {
    const sdk = require('@aws-sdk/client-dynamodb') as Sdk;
    return {
      sdk,
      client: new sdk.DynamoDBClient({ endpoint: this.url, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }),
    };
  }

  async stop(): Promise<void> {
    for (const hold of this.holds.splice(0)) hold.release();
    // SDK clients keep their connections alive; close would otherwise wait for them.
    this.server.closeAllConnections();
    await new Promise<void>((resolve, reject) => this.server.close((error) => (error ? reject(error) : resolve())));
  }
}
