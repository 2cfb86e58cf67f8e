import { Manifest } from '../manifest';
import { OnCallDirectory, RecordSeal, RequestAccess, RequestEvents, RequestStore } from '../requests';
import { handOffOf, isSlackHandOff, SlackError } from '../slack';
import { AuditSink } from './audit';
import { SecretTextCache } from './credentials';
import { AccessEngine } from './engine';
import { describeError } from './errors';
import { EventRoute } from './lambda/create-handler';
import { requestServices } from './request-services';
import { slackClient, SlackInteractions } from './slack-interactions';
import { SlackNotifier } from './slack-notifier';

/** The Slack side of a runtime: the notifier its requests service tells, and the route that serves hand-offs. */
export interface SlackWiring {
  readonly notifier: SlackNotifier;
  readonly route: EventRoute;
}

/**
 * Slack for a runtime whose manifest has a Slack app: one Web API client (with the current bot token), a notifier
 * that posts and updates request messages, with what the group grants read from the policy file, and the route
 * for `{"action":"slack"}` hand-offs from the front door.
 */
export function wireSlack(options: {
  readonly manifest: Manifest;
  readonly engine: AccessEngine;
  readonly store: RequestStore;
  readonly access: RequestAccess;
  readonly seal: RecordSeal;
  readonly secrets: SecretTextCache;
  readonly audit: AuditSink;
  readonly events?: RequestEvents;
  readonly onCall?: OnCallDirectory;
}): SlackWiring | undefined {
  const { manifest, engine, store, access, seal, secrets, audit, events, onCall } = options;
  if (manifest.slack === undefined) return undefined;
  const client = slackClient(manifest.slack, secrets);
  const notifier = new SlackNotifier({ manifest, store, api: client, rules: (flow) => access.rules(flow), impact: (r) => engine.impact(r.flow, r.target) });
  const services = requestServices({ store, access, seal, audit, now: engine.now, notifier, ...(events !== undefined && { events }), ...(onCall && { onCall }) });
  const interactions = new SlackInteractions({ manifest, secrets, client, services, audit, now: engine.now });
  return {
    notifier,
    route: {
      matches: isSlackHandOff,
      handle: async (event) => {
        try {
          return await interactions.handle(handOffOf(event));
        } catch (error) {
          if (!(error instanceof SlackError)) throw error;
          const described = describeError(error);
          audit({ type: 'symtail.audit', time: engine.now().toISOString(), action: 'slack', outcome: 'rejected', error: described });
          return { ok: false, error: described };
        }
      },
    },
  };
}
