// The Slack part of the demo: the SSH-access example with a Slack app, synthesized; its front door and runtime each
// run in a Node process of their own against the Slack stand-in, a local DynamoDB and the tailnet emulator. Alice
// asks in Slack, Bob approves, a forged click and a guest are refused, a Slack retry changes nothing, and Alice ends
// her access with "I'm done".
import { blockActionBody, slashCommandBody, viewSubmissionBody, withoutSignature } from '../lib/testing';
import { SLACK_FIXTURE, SlackDeployment, SlackExchange, slackUser } from './fixtures/slack-deployment';

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
    say(`   front door zip ${(d.app.zipBytes.frontDoor / 1024).toFixed(1)} KiB (loaded in ${d.frontDoor.loadMs.toFixed(1)} ms), runtime zip ${(d.app.zipBytes.runtime / 1024).toFixed(1)} KiB`);
    const alice = slackUser('U0ALICE');
    const bob = slackUser('U0BOB');

    step(n++, 'Slack checks the request URL as the command is saved (ssl_check=1, unsigned): answered 200, nothing handed off');
    const urlCheck = await d.send('ssl_check=1&token=legacy-verification-token', { change: withoutSignature });
    outcome(urlCheck);
    expect('answered 200, nothing handed off', urlCheck.answer.statusCode === 200 && urlCheck.handled.length === 0);

    step(n++, 'In Slack, alice types /access: the front door checks the signature and hands off; the runtime opens the modal');
    outcome(await d.send(slashCommandBody(alice, { triggerId: 'demo-trigger-1' })));
    const modal = d.slack.callsTo('views.open')[0]?.args.view as { blocks: { block_id?: string; element?: { options?: { value: string }[] } }[] };
    say(`   modal: ${modal.blocks.filter((b) => b.block_id).map((b) => `${b.block_id}${b.element?.options ? ` (${b.element.options.map((o) => o.value).join(', ')})` : ''}`).join(', ')}`);

    step(n++, 'alice submits: Prod SSH Access, 1h, "INC-4021"; the request is posted to the requests channel');
    const submitted = outcome(
      await d.send(viewSubmissionBody(alice, { viewId: 'V0DEMO', privateMetadata: 'tailscale-ssh-access', values: { target: 'main-prod-access', duration: '1h', reason: 'INC-4021' } })),
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
    say(`   Slack calls: ${d.slack.calls.map((c) => c.method).join(', ')}`);
  } finally {
    await d.stop();
  }
  return ok;
}
