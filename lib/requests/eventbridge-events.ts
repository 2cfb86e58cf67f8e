import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { EVENT_SOURCE, RequestEvent, RequestEvents, RequestEventsError } from './request-events';

type Sdk = typeof import('@aws-sdk/client-eventbridge');

/** EventBridge takes at most ten entries in one `PutEvents`. */
const MAX_ENTRIES = 10;

/**
 * Request events on an EventBridge bus through the AWS SDK v3, which the Lambda runtime provides and
 * `AWS_ENDPOINT_URL_EVENTBRIDGE` can point at a local stand-in. The SDK is loaded on first use. Entries go out in
 * order, ten to a call; a call that fails, or an answer with a `FailedEntryCount`, stops there and is thrown.
 */
export class EventBridgeRequestEvents implements RequestEvents {
  private sdk?: Sdk;

  /** @param eventBus the bus's ARN (or name); the account's default bus when absent. */
  constructor(
    readonly eventBus: string | undefined,
    private client?: EventBridgeClient,
  ) {}

  async publish(events: readonly RequestEvent[]): Promise<void> {
    const { sdk, client } = this.connect();
    for (let i = 0; i < events.length; i += MAX_ENTRIES) {
      const entries = events.slice(i, i + MAX_ENTRIES).map((e) => ({
        Source: EVENT_SOURCE,
        DetailType: e.detailType,
        Detail: JSON.stringify(e.detail),
        Time: new Date(e.time),
        ...(this.eventBus === undefined ? {} : { EventBusName: this.eventBus }),
      }));
      let out;
      try {
        out = await client.send(new sdk.PutEventsCommand({ Entries: entries }));
      } catch (error) {
        const e = error as { name?: string; message?: string };
        throw new RequestEventsError(
          'events-unpublished',
          `EventBridge PutEvents to ${this.busName()} failed: ${e.name ?? 'Error'}: ${e.message ?? String(error)}`,
        );
      }
      if ((out.FailedEntryCount ?? 0) > 0) {
        const failed = (out.Entries ?? []).flatMap((r, k) =>
          r.ErrorCode === undefined ? [] : [`${events[i + k].detail.eventId} (${r.ErrorCode}: ${r.ErrorMessage ?? ''})`],
        );
        throw new RequestEventsError(
          'events-unpublished',
          `EventBridge refused ${out.FailedEntryCount} of ${entries.length} events on ${this.busName()}: ${failed.join(', ')}`,
        );
      }
    }
  }

  private busName(): string {
    return this.eventBus ?? 'the default bus';
  }

  private connect(): { sdk: Sdk; client: EventBridgeClient } {
    // `require`, not `import()`: the bundle is CommonJS, and the Lambda runtime's SDK resolves through require.
    this.sdk ??= require('@aws-sdk/client-eventbridge') as Sdk;
    this.client ??= new this.sdk.EventBridgeClient({ maxAttempts: 3, requestHandler: { connectionTimeout: 2000, requestTimeout: 5000 } });
    return { sdk: this.sdk, client: this.client };
  }
}
