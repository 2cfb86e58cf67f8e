// The Slack part of the demo: the SSH-access example with a Slack app, synthesized; its front door and runtime each
// run in a Node process of their own against the Slack stand-in, a local DynamoDB and the tailnet emulator. Alice
// asks in Slack, Bob approves, a forged click and a guest are refused, a Slack retry changes nothing, and Alice ends
// her access with "I'm done". Then an incident: Alice grants herself access with break-glass from the command line,
// the channel is told loudly, her own "Mark reviewed" is refused, and Bob's records the review.
import { blockActionBody, slashCommandBody, viewSubmissionBody, withoutSignature } from '../lib/testing';
import { REQUESTS_API_CALLERS, SLACK_FIXTURE, SlackDeployment, SlackExchange, slackUser } from './fixtures/slack-deployment';

type Say = (line?: string) => void;

/** Runs the Slack part, numbering its steps from `first`; returns whether everything came out as it should. */
export async function slackDemo(say: Say, step: (n: number, title: string) => void, first: number): Promise<boolean> {
  let n = first;
  const d = await SlackDeployment.start();
  let ok = true;
  const expect = (what: string, holds: boolean) => {
    say(`   ${what}: ${holds ? 'yes' : 'NO'}`);
    ok &&= holds;
  };
  const outcome = (e: SlackExchange) => {
    const result = e.handled[0] as { ok: boolean; requestId?: string; state?: string; error?: { code: string; message: string } } | undefined;
    const runtime = result === undefined ? 'not handed off' : result.ok ? `runtime: ${result.state ?? 'done'}` : `runtime refused: ${result.error?.code}`;
    say(`   front door answered ${e.answer.statusCode} in ${e.answerMs.toFixed(1)} ms; ${runtime}`);
    return result;
  };
  const message = (requestId: string) => d.slack.messages.find((m) => JSON.stringify(m.blocks).includes(requestId))!;
  const statusLine = (requestId: string) => {
    const blocks = message(requestId).blocks as { type: string; elements?: { text?: string }[] }[];
    return blocks.find((b) => b.type === 'context')?.elements?.[0]?.text ?? '';
  };
  try {
    say(
      `   front door zip ${(d.app.zipBytes.frontDoor / 1024).toFixed(1)} KiB (loaded in ${d.frontDoor.loadMs.toFixed(1)} ms), runtime zip ${(d.app.zipBytes.runtime / 1024).toFixed(1)} KiB`,
    );
    const alice = slackUser('U0ALICE');
    const bob = slackUser('U0BOB');

    step(n++, 'Slack checks the request URL as the command is saved (ssl_check=1, unsigned): answered 200, nothing handed off');
    const urlCheck = await d.send('ssl_check=1&token=legacy-verification-token', { change: withoutSignature });
    outcome(urlCheck);
    expect('answered 200, nothing handed off', urlCheck.answer.statusCode === 200 && urlCheck.handled.length === 0);

    step(n++, 'In Slack, alice types /access: the front door checks the signature and hands off; the runtime opens the modal');
    outcome(await d.send(slashCommandBody(alice, { triggerId: 'demo-trigger-1' })));
    const modal = d.slack.callsTo('views.open')[0]?.args.view as { blocks: { block_id?: string; element?: { options?: { value: string }[] } }[] };
    say(
      `   modal: ${modal.blocks
        .filter((b) => b.block_id)
        .map((b) => `${b.block_id}${b.element?.options ? ` (${b.element.options.map((o) => o.value).join(', ')})` : ''}`)
        .join(', ')}`,
    );

    step(n++, 'alice submits: Prod SSH Access, 1h, "INC-4021"; the request is posted to the requests channel');
    const submitted = outcome(
      await d.send(
        viewSubmissionBody(alice, {
          viewId: 'V0DEMO',
          privateMetadata: 'tailscale-ssh-access',
          values: { target: 'main-prod-access', duration: '1h', reason: 'INC-4021' },
        }),
      ),
    ) as { requestId: string };
    const requestId = submitted.requestId;
    const ts = message(requestId).ts;
    say(`   ${SLACK_FIXTURE.channel}: ${statusLine(requestId)}`);
    const sections = message(requestId).blocks as { type: string; text?: { text: string } }[];
    const grants = sections.find((b) => b.text?.text.startsWith('*What this group grants*'))?.text?.text.split('\n') ?? [];
    for (const line of grants) say(`   ${line.replace(/&gt;/g, '>')}`);

    const click = (from: typeof alice, action: string, trigger: string) =>
      blockActionBody(from, { actionId: `symtail-${action}`, value: requestId, channelId: SLACK_FIXTURE.channel, messageTs: ts, triggerId: trigger });
    step(n++, 'Refused: a click signed with the wrong secret, a guest, and alice approving her own request');
    outcome(await d.send(click(bob, 'approve', 'demo-t-2'), { secret: 'not-the-signing-secret' }));
    outcome(await d.send(click(slackUser('U0GUEST'), 'approve', 'demo-t-3')));
    outcome(await d.send(click(alice, 'approve', 'demo-t-4')));
    expect('nothing granted', d.emulator.writes === 0);

    step(n++, 'bob clicks Approve: the grant is written, the message updated');
    outcome(await d.send(click(bob, 'approve', 'demo-t-5')));
    say(`   ${SLACK_FIXTURE.channel}: ${statusLine(requestId)}`);
    expect('alice is in group:prod', /"alice@example\.com"/.test(d.emulator.policy));

    step(n++, 'Slack retries the click (X-Slack-Retry-Num: 1)');
    const writes = d.emulator.writes;
    outcome(await d.send(click(bob, 'approve', 'demo-t-5'), { retryNum: 1 }));
    expect('no second write', d.emulator.writes === writes);

    step(n++, "alice clicks I'm done");
    outcome(await d.send(click(alice, 'revoke', 'demo-t-6')));
    say(`   ${SLACK_FIXTURE.channel}: ${statusLine(requestId)}`);
    expect('alice is out of group:prod', !d.emulator.policy.includes('alice@example.com'));

    step(n++, 'An incident: alice runs symtail request --break-glass (the requests API, proven to STS): granted at once on her own approval');
    const emergency = {
      action: 'request',
      flow: 'tailscale-ssh-access',
      target: 'main-prod-access',
      duration: '30m',
      reason: 'INC-4022: prod is down',
      breakGlass: true,
    };
    const answer = await d.call(REQUESTS_API_CALLERS.alice, emergency);
    const breakGlass = answer.body.request as { id: string; state: string; until: string; needsReview?: boolean };
    say(
      `   HTTP ${answer.status}: ${breakGlass.id} is ${breakGlass.state} until ${breakGlass.until}, needs review: ${breakGlass.needsReview === true ? 'yes' : 'no'}`,
    );
    const audited = d.audit().find((a) => a.outcome === 'break-glass' && a.requestId === breakGlass.id);
    say(`   audit: outcome ${String(audited?.outcome)}, which the <function>-break-glass alarm counts`);
    say(`   ${SLACK_FIXTURE.channel}, loudly:`);
    const sectionText = (id: string, blockId: string) => {
      const block = (message(id).blocks as { block_id?: string; text?: { text: string }; elements?: { text: string }[] }[]).find((b) => b.block_id === blockId);
      return block?.text?.text ?? block?.elements?.[0].text ?? '';
    };
    for (const blockId of ['break-glass', 'reason', 'review']) say(`     ${sectionText(breakGlass.id, blockId)}`);
    expect(
      'the approvers are mentioned: bob in Slack, carol (not in Slack) by email',
      sectionText(breakGlass.id, 'review').endsWith('<@U0BOB>, carol@example.com'),
    );

    const review = (from: typeof alice, trigger: string) =>
      blockActionBody(from, {
        actionId: 'symtail-review',
        value: breakGlass.id,
        channelId: SLACK_FIXTURE.channel,
        messageTs: message(breakGlass.id).ts,
        triggerId: trigger,
      });
    step(n++, 'alice clicks Mark reviewed on her own request');
    const tableWrites = d.dynamo.writes.length;
    outcome(await d.send(review(alice, 'demo-t-7')));
    say(`   told only alice: ${String(d.slack.callsTo('chat.postEphemeral').at(-1)?.args.text ?? '')}`);
    expect('nothing written', d.dynamo.writes.length === tableWrites);

    step(n++, 'bob clicks Mark reviewed: the review is recorded as his Slack user, and the message says so');
    outcome(await d.send(review(bob, 'demo-t-8')));
    say(`   ${SLACK_FIXTURE.channel}: ${sectionText(breakGlass.id, 'review')}`);
    expect('reviewed by bob', sectionText(breakGlass.id, 'review').startsWith(':white_check_mark: Reviewed by <@U0BOB> at '));
    say(`   Slack calls: ${d.slack.calls.map((c) => c.method).join(', ')}`);
  } finally {
    await d.stop();
  }
  return ok;
}
