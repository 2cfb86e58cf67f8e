import { ModalView } from './slack-api';
import { escapeMrkdwn } from './text';

/** What a requester may choose in one flow: its own targets and durations. */
export interface FlowChoices {
  readonly name: string;
  readonly label: string;
  readonly targets: readonly { readonly name: string; readonly label: string }[];
  /** Empty: any duration up to `maxDuration`, typed. */
  readonly durations: readonly string[];
  readonly maxDuration: string;
  readonly reasonRequired: boolean;
}

/** `callback_id` of the request modal, and the block ids of its inputs. */
export const REQUEST_MODAL = { callbackId: 'symtail-request', target: 'target', duration: 'duration', reason: 'reason' } as const;
/** `action_id` of the flow menu, in the modal shown when several flows could be meant. */
export const FLOW_MENU_ACTION = 'symtail-flow';

const plain = (text: string) => ({ type: 'plain_text', text: text.slice(0, 75), emoji: false });
const option = (value: string, text: string) => ({ text: plain(text), value });

/** The request modal of one flow; the flow's name rides in `private_metadata` and is checked again on submission. */
export function requestModal(flow: FlowChoices): ModalView {
  const duration =
    flow.durations.length > 0
      ? {
          type: 'static_select',
          action_id: 'value',
          options: flow.durations.map((d) => option(d, d)),
          initial_option: option(flow.durations[0], flow.durations[0]),
        }
      : { type: 'plain_text_input', action_id: 'value', placeholder: plain(`30m, 1h, … up to ${flow.maxDuration}`) };
  return {
    type: 'modal',
    callback_id: REQUEST_MODAL.callbackId,
    private_metadata: flow.name,
    title: plain('Request access'),
    submit: plain('Request'),
    close: plain('Cancel'),
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: `*${escapeMrkdwn(flow.label)}*` } },
      {
        type: 'input',
        block_id: REQUEST_MODAL.target,
        label: plain('Target'),
        element: { type: 'static_select', action_id: 'value', options: flow.targets.map((t) => option(t.name, t.label)) },
      },
      { type: 'input', block_id: REQUEST_MODAL.duration, label: plain('Duration'), element: duration },
      {
        type: 'input',
        block_id: REQUEST_MODAL.reason,
        label: plain('Reason'),
        optional: !flow.reasonRequired,
        element: { type: 'plain_text_input', action_id: 'value', multiline: true, max_length: 1024 },
      },
    ],
  };
}

/** A modal asking which flow, when a slash command did not say and several flows are served in Slack. */
export function flowMenuModal(flows: readonly { readonly name: string; readonly label: string }[]): ModalView {
  return {
    type: 'modal',
    title: plain('Request access'),
    close: plain('Cancel'),
    blocks: [
      {
        type: 'section',
        block_id: 'flow',
        text: { type: 'mrkdwn', text: 'Which access?' },
        accessory: { type: 'static_select', action_id: FLOW_MENU_ACTION, options: flows.map((f) => option(f.name, f.label)) },
      },
    ],
  };
}
