import { EventError, parseEvent } from '../../lib/runtime/events';

const escalate = {
  action: 'escalate',
  flow: 'tailscale-ssh-access',
  target: 'main-prod-access',
  requester: { email: 'alice@example.com' },
  duration: '1h',
  reason: 'incident 42',
  requestId: 'r-123',
};

describe('parseEvent', () => {
  test.each([
    ['a full escalate event', escalate],
    ['an escalate event without optional fields', { action: 'escalate', flow: 'f', target: 't', requester: { email: 'a@b.c' } }],
    ['a dry-run escalate event', { ...escalate, dryRun: true }],
    ['a deescalate event', { action: 'deescalate', flow: 'f', target: 't', requester: { email: 'a@b.c' } }],
    ['the scheduled sweep event', { action: 'sweep' }],
    ['a dry-run sweep', { action: 'sweep', dryRun: true }],
    ['a status event', { action: 'status' }],
    ['a status event for one flow', { action: 'status', flow: 'f' }],
    ["the doctor's check event", { action: 'check' }],
  ])('accepts %s', (_name, event) => {
    expect(parseEvent(event)).toEqual(event);
  });

  test.each([
    ['null', null, 'event: expected a JSON object'],
    ['an array', [], 'event: expected a JSON object'],
    ['a string', 'sweep', 'event: expected a JSON object'],
    ['no action', {}, 'event.action: expected one of escalate, deescalate, sweep, status, check, got nothing'],
    ['an unknown action', { action: 'grant' }, 'event.action: expected one of escalate, deescalate, sweep, status, check, got "grant"'],
    ['a missing flow', { ...escalate, flow: undefined }, 'event.flow: required'],
    ['a missing requester', { ...escalate, requester: undefined }, 'event.requester: required'],
    ['a requester without email', { ...escalate, requester: {} }, 'event.requester.email: required'],
    ['a requester email without @', { ...escalate, requester: { email: 'alice' } }, 'event.requester.email: does not match'],
    ['an extra requester field', { ...escalate, requester: { email: 'a@b.c', admin: true } }, 'event.requester: unknown field "admin"'],
    ['an unknown top-level field', { ...escalate, sudo: true }, 'event: unknown field "sudo"'],
    ['a check event with a field', { action: 'check', flow: 'f' }, 'event: unknown field "flow"'],
    ['a duration without unit', { ...escalate, duration: '60' }, 'event.duration: expected a duration such as "30m" or "1h"'],
    ['a negative duration', { ...escalate, duration: '-1h' }, 'event.duration: expected a duration'],
    ['a numeric duration', { ...escalate, duration: 3600 }, 'event.duration: must be string'],
    ['a request id that could break a comment', { ...escalate, requestId: 'r */ "x"' }, 'event.requestId: does not match'],
    ['a request id with a newline', { ...escalate, requestId: 'r\n1' }, 'event.requestId: does not match'],
    ['a reason too long', { ...escalate, reason: 'x'.repeat(1025) }, 'event.reason: must NOT have more than 1024 characters'],
    ['a flow name with a slash', { ...escalate, flow: '../x' }, 'event.flow: does not match'],
    ['a non-boolean dry run', { ...escalate, dryRun: 'yes' }, 'event.dryRun: must be boolean'],
    [
      'a duration on a deescalate',
      { action: 'deescalate', flow: 'f', target: 't', requester: { email: 'a@b.c' }, duration: '1h' },
      'event: unknown field "duration"',
    ],
    ['fields on a sweep', { action: 'sweep', flow: 'f' }, 'event: unknown field "flow"'],
  ])('rejects %s, naming the field', (_name, event, message) => {
    expect(() => parseEvent(event)).toThrow(EventError);
    expect(() => parseEvent(event)).toThrow(message);
  });
});
