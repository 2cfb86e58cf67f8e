import { DEMO_POLICY, Harness, escalation, startHarness } from './harness';

/** The example policy as it was before its tags went to admins: group:prod owns tag:prod. */
const PROD_OWNS_TAG = DEMO_POLICY.replace('"tag:prod":    ["autogroup:admin"]', '"tag:prod":    ["group:prod"]');
const TAG_LINE = PROD_OWNS_TAG.split('\n').findIndex((l) => l.includes('"tag:prod":    ["group:prod"]')) + 1;
const DANGER = `line ${TAG_LINE} tag-owner: group:prod may apply tag:prod: a device a member tags keeps tag:prod's access after the membership ends`;

let h: Harness;
afterEach(() => h.stop());

describe('access impact in the runtime', () => {
  it('a dry-run escalation answers with what the group grants and its dangers, and writes nothing', async () => {
    h = await startHarness({ policy: PROD_OWNS_TAG });
    const before = h.emulator.policy;
    const result = await h.engine.escalate(escalation({ dryRun: true }));
    expect(result.impact).toEqual({
      group: 'group:prod',
      rules: ['line 13 acls: tag:prod:*', 'line 18 ssh: accept as ec2-user to tag:prod', `line ${TAG_LINE} tagOwners: may apply tag:prod`],
      dangers: [DANGER],
    });
    expect(result.diff).toMatch(/^\+.*"alice@example\.com"/m);
    expect(h.emulator.policy).toBe(before);
  });

  it('an escalation that grants a flagged danger warns in its answer and in its audit line, and still grants', async () => {
    h = await startHarness({ policy: PROD_OWNS_TAG });
    const result = await h.engine.escalate(escalation());
    const warning = `group:prod carries a flagged danger: ${DANGER}`;
    expect(result.warnings).toEqual([warning]);
    expect(h.audit.at(-1)).toMatchObject({ action: 'escalate', outcome: 'success', warnings: [warning] });
    expect(h.emulator.policy).toContain('"alice@example.com"');
  });

  it('an escalation into a group without dangers carries its impact and no warning', async () => {
    h = await startHarness();
    const result = await h.engine.escalate(escalation());
    expect(result.warnings).toEqual([]);
    expect(result.impact?.dangers).toEqual([]);
    expect(h.audit.at(-1)).not.toHaveProperty('warnings');
  });

  it("status lists each target's flagged dangers from the policy file as it is", async () => {
    h = await startHarness({ policy: PROD_OWNS_TAG });
    const status = await h.engine.status({ action: 'status' });
    expect(status.targets.map((t) => [t.group, t.dangers])).toEqual([
      ['prod', [DANGER]],
      ['staging', []],
    ]);
  });
});
