import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { REQUESTS_TABLE } from '../requests';

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

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {
    server.on('request', (req) => {
      // This class's own reads (`items`) are not calls of the code under test.
      if (String(req.headers.authorization ?? '').includes(`Credential=${INSPECTOR_KEY}/`)) return;
      const target = String(req.headers['x-amz-target'] ?? '');
      this.calls.push({ operation: target.slice(target.indexOf('.') + 1) });
    });
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
        for (const item of out.Items ?? []) items[String(item[REQUESTS_TABLE.key]?.S)] = item;
        start = out.LastEvaluatedKey;
      } while (start !== undefined);
    } finally {
      client.destroy();
    }
    return items;
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
    // SDK clients keep their connections alive; close would otherwise wait for them.
    this.server.closeAllConnections();
    await new Promise<void>((resolve, reject) => this.server.close((error) => (error ? reject(error) : resolve())));
  }
}
