import { FaultPlan } from '../../lib/testing/faults';

describe('FaultPlan', () => {
  it('consumes failures in order, each batch for its count, only on matching paths', () => {
    const plan = new FaultPlan();
    plan.addFailures(2, 'token', { status: 503 });
    plan.addFailures(1, 'any', { status: 429, retryAfter: '1' });
    expect(plan.takeFailure('acl')).toMatchObject({ status: 429, retryAfter: '1' });
    expect(plan.takeFailure('acl')).toBeUndefined();
    expect(plan.takeFailure('token')).toMatchObject({ status: 503 });
    expect(plan.takeFailure('token')).toMatchObject({ status: 503 });
    expect(plan.takeFailure('token')).toBeUndefined();
  });

  it('counts drops and races down, and clears everything at once', () => {
    const plan = new FaultPlan();
    const mutate = (t: string) => t;
    plan.addDrops(2);
    plan.addRaces(2, mutate);
    plan.addBrokenGet('no-etag');
    expect([plan.takeDrop(), plan.takeDrop(), plan.takeDrop()]).toEqual([true, true, false]);
    expect([plan.takeRace(), plan.takeRace(), plan.takeRace()]).toEqual([mutate, mutate, undefined]);
    plan.addDrops(1);
    plan.addFailures(1, 'any', { status: 500 });
    plan.clear();
    expect([plan.takeDrop(), plan.takeFailure('acl'), plan.takeBrokenGet()]).toEqual([false, undefined, undefined]);
  });
});
