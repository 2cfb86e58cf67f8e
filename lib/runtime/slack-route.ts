import { Manifest } from '../manifest';
import { OnCallDirectory, RecordSeal, ReminderSweep, RequestAccess, RequestEvents, RequestStore } from '../requests';
import { handOffOf, isSlackHandOff, SlackError } from '../slack';
import { AuditSink, reminderAudits } from './audit';
import { SecretTextCache } from './credentials';
import { AccessEngine } from './engine';
import { describeError } from './errors';
import { EventRoute } from './lambda/create-handler';
import { requestServices } from './request-services';
import { slackClient, SlackInteractions } from './slack-interactions';
import { SlackNotifier } from './slack-notifier';
import { SlackReminders } from './slack-reminders';

/**
 * The Slack side of a runtime: the notifier its requests service tells, the route that serves hand-offs, and the
 * reminders the minute sweep sends.
 */
export interface SlackWiring {
  readonly notifier: SlackNotifier;
  readonly route: EventRoute;
  readonly reminders: ReminderSweep;
}

/**
 * Slack for a runtime whose manifest has a Slack app: one Web API client (with the current bot token), a notifier
 * that posts and updates request messages, with what the group grants read from the policy file, the route for
 * `{"action":"slack"}` hand-offs from the front door, and the reminders in Slack.
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
  const notifier = new SlackNotifier({
    manifest,
    store,
    seal,
    api: client,
    rules: (flow) => access.rules(flow),
    impact: (r) => engine.impact(r.flow, r.target),
  });
  const services = requestServices({
    store,
    access,
    seal,
    audit,
    now: engine.now,
    notifier,
    ...(events !== undefined && { events }),
    ...(onCall && { onCall }),
  });
  const interactions = new SlackInteractions({ manifest, secrets, client, services, audit, now: engine.now });
  const reminders = new ReminderSweep({
    store,
    seal,
    rules: (flow) => access.rules(flow),
    reminders: new SlackReminders({ manifest, api: client, rules: (flow) => access.rules(flow), directory: (flow) => access.directory(flow) }),
    ...reminderAudits(audit, engine.now),
  });
  return {
    notifier,
    reminders,
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
