import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { REQUESTS_TABLE } from '../requests';
import { HeldCall, Hold } from './held-call';

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

  /** Makes an empty requests table named `name`. */
  async createRequestsTable(name: string): Promise<void> {
    const { DynamoDBClient, CreateTableCommand, DescribeTableCommand } = require('@aws-sdk/client-dynamodb') as typeof import('@aws-sdk/client-dynamodb');
    const client = new DynamoDBClient({ endpoint: this.url, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    try {
      await client.send(
        new CreateTableCommand({
          TableName: name,
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: [
            { AttributeName: REQUESTS_TABLE.key, AttributeType: 'S' },
            { AttributeName: REQUESTS_TABLE.openState, AttributeType: 'S' },
            { AttributeName: REQUESTS_TABLE.due, AttributeType: 'S' },
          ],
          KeySchema: [{ AttributeName: REQUESTS_TABLE.key, KeyType: 'HASH' }],
          GlobalSecondaryIndexes: [
            {
              IndexName: REQUESTS_TABLE.openIndex,
              KeySchema: [
                { AttributeName: REQUESTS_TABLE.openState, KeyType: 'HASH' },
                { AttributeName: REQUESTS_TABLE.due, KeyType: 'RANGE' },
              ],
              Projection: { ProjectionType: 'ALL' },
            },
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

  async stop(): Promise<void> {
    for (const hold of this.holds.splice(0)) hold.release();
    // SDK clients keep their connections alive; close would otherwise wait for them.
    this.server.closeAllConnections();
    await new Promise<void>((resolve, reject) => this.server.close((error) => (error ? reject(error) : resolve())));
  }
}
