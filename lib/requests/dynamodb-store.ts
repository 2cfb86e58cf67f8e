import type { AttributeValue, DynamoDBClient, QueryCommandInput, UpdateItemCommandInput } from '@aws-sdk/client-dynamodb';
import { DynamoDbConnection, isConditionFailure } from './dynamodb-connection';
import { StoreConflictError } from './errors';
import { AccessRequest, isOpen, OpenState, RequestNotification, RequestState, RequestTransition } from './model';
import { REMINDER_KINDS, ReminderKind } from './reminders';
import { ListPosition, newestFirst, RequestStore } from './store';
import { NOT_A_REQUEST_MARK, REQUESTS_TABLE as T } from './table-layout';

type Item = Record<string, AttributeValue>;

const { document: DOC, version: VERSION, notification: NOTIFICATION, mac: MAC, unpublished: UNPUBLISHED } = T;

/**
 * The request store on DynamoDB through the AWS SDK v3 (which the Lambda runtime provides, and
 * `AWS_ENDPOINT_URL_DYNAMODB` can point at a local DynamoDB). The SDK is loaded on first use, so an invocation
 * that never touches requests does not pay for it.
 */
export class DynamoDbRequestStore implements RequestStore {
  private readonly connection: DynamoDbConnection;

  constructor(
    readonly tableName: string,
    client?: DynamoDBClient | DynamoDbConnection,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.connection = client instanceof DynamoDbConnection ? client : new DynamoDbConnection(client);
  }

  async create(request: AccessRequest): Promise<AccessRequest> {
    const created = { ...request, version: 1 };
    const { sdk, client } = this.connect();
    try {
      await client.send(
        new sdk.PutItemCommand({
          TableName: this.tableName,
          Item: this.item(created),
          ConditionExpression: 'attribute_not_exists(#id)',
          ExpressionAttributeNames: { '#id': T.key },
        }),
      );
    } catch (error) {
      if (isConditionFailure(error)) throw new StoreConflictError(request.id);
      throw error;
    }
    return created;
  }

  async get(id: string): Promise<AccessRequest | undefined> {
    const { sdk, client } = this.connect();
    const out = await client.send(new sdk.GetItemCommand({ TableName: this.tableName, Key: { [T.key]: { S: id } }, ConsistentRead: true }));
    return out.Item === undefined ? undefined : fromItem(out.Item);
  }

  async update(request: AccessRequest): Promise<AccessRequest> {
    const next = { ...request, version: request.version + 1 };
    const item = this.item(next);
    const names: Record<string, string> = { '#doc': DOC, '#v': VERSION, '#state': T.state };
    const values: Item = { ':doc': item[DOC], ':v': { N: String(request.version) }, ':next': item[VERSION], ':state': item[T.state] };
    const set = ['#doc = :doc', '#v = :next', '#state = :state'];
    const remove: string[] = [];
    for (const attr of [T.openState, T.due, T.ttl, MAC, UNPUBLISHED, T.eventsPending]) {
      names[`#${attr}`] = attr;
      if (item[attr] === undefined) remove.push(`#${attr}`);
      else {
        set.push(`#${attr} = :${attr}`);
        values[`:${attr}`] = item[attr];
      }
    }
    const { sdk, client } = this.connect();
    try {
      await client.send(
        new sdk.UpdateItemCommand({
          TableName: this.tableName,
          Key: { [T.key]: { S: request.id } },
          UpdateExpression: `SET ${set.join(', ')}${remove.length > 0 ? ` REMOVE ${remove.join(', ')}` : ''}`,
          ConditionExpression: '#v = :v',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      );
    } catch (error) {
      if (isConditionFailure(error)) throw new StoreConflictError(request.id);
      throw error;
    }
    return next;
  }

  async due(state: OpenState, dueBy: string): Promise<AccessRequest[]> {
    return this.queryAll({
      IndexName: T.openIndex,
      KeyConditionExpression: '#s = :s AND #due <= :by',
      ExpressionAttributeNames: { '#s': T.openState, '#due': T.due },
      ExpressionAttributeValues: { ':s': { S: state }, ':by': { S: dueBy } },
    });
  }

  async published(id: string, version: number): Promise<boolean> {
    return this.updateIf(id, {
      UpdateExpression: 'REMOVE #u, #p',
      ConditionExpression: '#v = :v',
      ExpressionAttributeNames: { '#u': UNPUBLISHED, '#p': T.eventsPending, '#v': VERSION },
      ExpressionAttributeValues: { ':v': { N: String(version) } },
    });
  }

  async unpublished(): Promise<AccessRequest[]> {
    return this.queryAll({
      IndexName: T.eventsIndex,
      KeyConditionExpression: '#p = :p',
      ExpressionAttributeNames: { '#p': T.eventsPending },
      ExpressionAttributeValues: { ':p': { S: T.eventsPendingValue } },
    });
  }

  /** Every request an index query finds, page by page. */
  private async queryAll(query: Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey'>): Promise<AccessRequest[]> {
    const { sdk, client } = this.connect();
    const found: AccessRequest[] = [];
    let start: Item | undefined;
    do {
      const out = await client.send(new sdk.QueryCommand({ TableName: this.tableName, ...query, ExclusiveStartKey: start }));
      found.push(...(out.Items ?? []).map(fromItem));
      start = out.LastEvaluatedKey;
    } while (start !== undefined);
    return found;
  }

  async list(options: { readonly state?: RequestState; readonly after?: ListPosition; readonly limit: number }): Promise<AccessRequest[]> {
    const { sdk, client } = this.connect();
    const found: AccessRequest[] = [];
    let start: Item | undefined;
    do {
      // Open states come from the index; closed ones need the table, which TTL keeps to the retention period.
      const out =
        options.state !== undefined && isOpen(options.state)
          ? await client.send(
              new sdk.QueryCommand({
                TableName: this.tableName,
                IndexName: T.openIndex,
                KeyConditionExpression: '#s = :s',
                ExpressionAttributeNames: { '#s': T.openState },
                ExpressionAttributeValues: { ':s': { S: options.state } },
                ExclusiveStartKey: start,
              }),
            )
          : await client.send(
              new sdk.ScanCommand({
                TableName: this.tableName,
                ExclusiveStartKey: start,
                // The table also holds items that are not requests: used identity proofs (`proof#…`) and the sweep's
                // record (`sweep#last`). Their keys carry a `#`, which no request id can hold.
                FilterExpression: `NOT contains(#id, :mark)${options.state === undefined ? '' : ' AND #state = :state'}`,
                ExpressionAttributeNames: { '#id': T.key, ...(options.state === undefined ? {} : { '#state': T.state }) },
                ExpressionAttributeValues: { ':mark': { S: NOT_A_REQUEST_MARK }, ...(options.state === undefined ? {} : { ':state': { S: options.state } }) },
              }),
            );
      found.push(...(out.Items ?? []).map(fromItem));
      start = out.LastEvaluatedKey;
    } while (start !== undefined);
    // No index orders requests by age, so every page reads them all and starts after its position.
    const after = options.after;
    return found
      .filter((r) => after === undefined || newestFirst(r, after) > 0)
      .sort(newestFirst)
      .slice(0, options.limit);
  }

  async setNotification(id: string, notification: RequestNotification, expected?: RequestNotification): Promise<boolean> {
    const value: AttributeValue = { M: { channel: { S: notification.channel }, ts: { S: notification.ts } } };
    return this.updateIf(id, {
      UpdateExpression: 'SET #n = :n',
      ConditionExpression:
        expected === undefined ? 'attribute_exists(#id) AND attribute_not_exists(#n)' : 'attribute_exists(#id) AND #n.channel = :c AND #n.ts = :ts',
      ExpressionAttributeNames: { '#n': NOTIFICATION, '#id': T.key },
      ExpressionAttributeValues: { ':n': value, ...(expected === undefined ? {} : { ':c': { S: expected.channel }, ':ts': { S: expected.ts } }) },
    });
  }

  async claimReminder(id: string, kind: ReminderKind, version: number, at: string): Promise<boolean> {
    return this.updateIf(id, {
      UpdateExpression: 'SET #r = :at',
      ConditionExpression: 'attribute_exists(#id) AND attribute_not_exists(#r) AND #v = :v',
      ExpressionAttributeNames: { '#r': T.reminded[kind], '#id': T.key, '#v': VERSION },
      ExpressionAttributeValues: { ':at': { S: at }, ':v': { N: String(version) } },
    });
  }

  async releaseReminder(id: string, kind: ReminderKind, at: string): Promise<boolean> {
    return this.updateIf(id, {
      UpdateExpression: 'REMOVE #r',
      ConditionExpression: '#r = :at',
      ExpressionAttributeNames: { '#r': T.reminded[kind] },
      ExpressionAttributeValues: { ':at': { S: at } },
    });
  }

  /** One conditional update of the request's item: false, having written nothing, when its condition does not hold. */
  private async updateIf(id: string, update: Omit<UpdateItemCommandInput, 'TableName' | 'Key'>): Promise<boolean> {
    const { sdk, client } = this.connect();
    try {
      await client.send(new sdk.UpdateItemCommand({ TableName: this.tableName, Key: { [T.key]: { S: id } }, ...update }));
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  private connect() {
    return this.connection.get();
  }

  private item(request: AccessRequest): Item {
    const { version, notification: _notification, mac, unpublished, reminded: _reminded, ...doc } = request;
    const item: Item = {
      [T.key]: { S: request.id },
      [VERSION]: { N: String(version) },
      [T.state]: { S: request.state },
      [DOC]: { S: JSON.stringify(doc) },
    };
    if (mac !== undefined) item[MAC] = { S: mac };
    if (unpublished !== undefined && unpublished.length > 0) {
      item[UNPUBLISHED] = { S: JSON.stringify(unpublished) };
      item[T.eventsPending] = { S: T.eventsPendingValue };
    }
    if (isOpen(request.state)) {
      item[T.openState] = { S: request.state };
      // Always in toISOString's form, so the index compares times as strings whatever form they were written in.
      item[T.due] = { S: new Date(request.state === 'escalated' ? (request.until ?? request.deadline) : request.deadline).toISOString() };
    } else {
      item[T.ttl] = { N: String(Math.floor(this.now().getTime() / 1000) + T.retentionDays * 86400) };
    }
    return item;
  }
}

/**
 * The request an item holds. An item whose document is not a JSON object reads as a record with none of its fields,
 * and unpublished changes that are not a JSON list as none: such a record fails verification (and is refused as
 * tampered) rather than stopping a query of every open request, the sweep's with it.
 */
function fromItem(item: Item): AccessRequest {
  const parsed = jsonOrUndefined(item[DOC]?.S);
  const doc = (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? parsed : {}) as Omit<
    AccessRequest,
    'version' | 'notification' | 'mac' | 'unpublished' | 'reminded'
  >;
  const unpublished = jsonOrUndefined(item[UNPUBLISHED]?.S);
  const n = item[NOTIFICATION]?.M;
  // A reminder attribute in any form is a reminder taken on (the claim is conditioned on its absence, whatever its type).
  const reminded = Object.fromEntries(REMINDER_KINDS.flatMap((kind) => (item[T.reminded[kind]] === undefined ? [] : [[kind, item[T.reminded[kind]].S ?? '']])));
  return {
    ...doc,
    // The item's key is the request's id, whatever its document says.
    id: item[T.key].S!,
    version: Number(item[VERSION].N),
    ...(n?.channel?.S !== undefined && n.ts?.S !== undefined ? { notification: { channel: n.channel.S, ts: n.ts.S } } : {}),
    ...(item[MAC]?.S !== undefined ? { mac: item[MAC].S } : {}),
    ...(Array.isArray(unpublished) ? { unpublished: unpublished as RequestTransition[] } : {}),
    ...(Object.keys(reminded).length > 0 ? { reminded } : {}),
  };
}

/** JSON text parsed, or undefined when absent or not JSON. */
function jsonOrUndefined(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
