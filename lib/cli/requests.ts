import { DURATION_PATTERN, NAME_PATTERN } from '../manifest';
import { REQUEST_ID_PATTERN } from '../policy';
import { LeafCommand, defineCommand } from './command';
import { atMostOneOf, flag, REASON_TEXT, ValueRule } from './flags';
import { jsonOutput } from './output';
import { API_FLAGS, callApi, NOTES, STATE_FLAG } from './requests-api';
import { exportCommand } from './requests-export';

/** What the requests API takes, checked before the call so that a refusal names the flag rather than a body field. */
const NAME: ValueRule = { pattern: NAME_PATTERN, expected: 'a name of letters, digits, ".", "_" or "-" (at most 128, starting with a letter or digit)' };
const REQUEST_ID: ValueRule = { pattern: REQUEST_ID_PATTERN, expected: 'a request id of 1 to 128 letters, digits, ".", "_", ":" or "-"' };
const DURATION: ValueRule = { pattern: DURATION_PATTERN, expected: 'a duration such as "30m", "1h" or "1d"' };

/** `--json`, last on every requests command: the API's answer as it came. */
const ANSWER_OUTPUT = jsonOutput('the answer');

/** One command on one request: `symtail approve --url U --id R`, and so on. */
function onRequest(name: 'approve' | 'cancel' | 'revoke', summary: string): LeafCommand {
  return defineCommand({
    name,
    summary,
    flags: {
      ...API_FLAGS,
      id: flag.string({ value: 'R', help: 'the request id, e.g. r-4f9c2a1b7d3e5f60', required: true, accepts: REQUEST_ID }),
      ...ANSWER_OUTPUT,
    },
    notes: NOTES,
    run: (f, io) => callApi(f, io, name, { action: name, requestId: f.id }),
  });
}

export const requestCommand = defineCommand({
  name: 'request',
  summary: 'ask for access through a flow; someone else approves',
  description: 'Makes a request through the requests API as the AWS identity you are signed in with, and prints it and its state.',
  flags: {
    ...API_FLAGS,
    flow: flag.string({ value: 'F', help: 'the flow, e.g. tailscale-ssh-access', required: true, accepts: NAME }),
    target: flag.string({ value: 'T', help: 'the target, e.g. main-prod-access', required: true, accepts: NAME }),
    for: flag.string({ value: 'D', help: "how long: 30m, 1h, ... (default: the flow's first duration)", accepts: DURATION }),
    reason: flag.string({ value: 'R', help: 'why (most flows require it)', accepts: REASON_TEXT }),
    'break-glass': flag.boolean({ help: "an emergency: approve it yourself, within the flow's break-glass limit (needs --reason; loud, and reviewed later)" }),
    ...ANSWER_OUTPUT,
  },
  notes: NOTES,
  run: (f, io) =>
    callApi(f, io, 'request', {
      action: 'request',
      flow: f.flow,
      target: f.target,
      ...(f.for === undefined ? {} : { duration: f.for }),
      ...(f.reason === undefined ? {} : { reason: f.reason }),
      ...(f['break-glass'] && { breakGlass: true }),
    }),
});

export const reviewCommand = defineCommand({
  name: 'review',
  summary: 'mark a break-glass request reviewed (an approver, not its requester)',
  flags: {
    ...API_FLAGS,
    id: flag.string({ value: 'R', help: 'the request id', required: true, accepts: REQUEST_ID }),
    note: flag.string({ value: 'N', help: 'what you checked, for the audit trail', accepts: REASON_TEXT }),
    ...ANSWER_OUTPUT,
  },
  notes: NOTES,
  run: (f, io) => callApi(f, io, 'review', { action: 'review', requestId: f.id, ...(f.note === undefined ? {} : { note: f.note }) }),
});

export const extendCommand = defineCommand({
  name: 'extend',
  summary: 'ask for more time on your own escalated request (a new request, linked to it)',
  flags: {
    ...API_FLAGS,
    id: flag.string({ value: 'R', help: 'the escalated request to extend (yours)', required: true, accepts: REQUEST_ID }),
    for: flag.string({ value: 'D', help: "how long from now (past the grant's current end): 30m, 1h, ...", required: true, accepts: DURATION }),
    ...ANSWER_OUTPUT,
  },
  notes: NOTES,
  run: (f, io) => callApi(f, io, 'extend', { action: 'extend', requestId: f.id, duration: f.for }),
});

export const approveCommand = onRequest('approve', 'approve a request; the approval that completes the quorum grants it');
export const cancelCommand = onRequest('cancel', 'withdraw your own pending request');
export const revokeCommand = onRequest('revoke', 'end granted access early (its requester or an approver)');

export const denyCommand = defineCommand({
  name: 'deny',
  summary: 'refuse a pending request (an approver)',
  flags: {
    ...API_FLAGS,
    id: flag.string({ value: 'R', help: 'the request id', required: true, accepts: REQUEST_ID }),
    reason: flag.string({ value: 'R', help: 'why, for the requester and the audit trail', accepts: REASON_TEXT }),
    ...ANSWER_OUTPUT,
  },
  notes: NOTES,
  run: (f, io) => callApi(f, io, 'deny', { action: 'deny', requestId: f.id, ...(f.reason === undefined ? {} : { reason: f.reason }) }),
});

export const requestsCommand = defineCommand({
  name: 'requests',
  summary: 'list requests (newest first), or show one with --id; export writes them all',
  description: 'Lists the newest 100 requests (symtail requests export writes every one), or shows one request with --id.',
  flags: {
    ...API_FLAGS,
    ...atMostOneOf({
      state: STATE_FLAG,
      id: flag.string({ value: 'R', help: 'show this one request', accepts: REQUEST_ID }),
    }),
    ...ANSWER_OUTPUT,
  },
  notes: NOTES,
  run: (f, io) =>
    callApi(
      f,
      io,
      'requests',
      f.id !== undefined ? { action: 'get', requestId: f.id } : { action: 'requests', ...(f.state === undefined ? {} : { state: f.state }) },
    ),
  subcommands: [exportCommand],
});

export const REQUEST_COMMANDS: readonly LeafCommand[] = [
  requestCommand,
  approveCommand,
  denyCommand,
  cancelCommand,
  revokeCommand,
  reviewCommand,
  extendCommand,
  requestsCommand,
];
