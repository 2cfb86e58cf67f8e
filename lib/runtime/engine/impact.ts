import { AccessSummary, assessGroupAccess } from '../../access';
import { EngineCore } from './engine-core';
import { resolveRequest } from './request-rules';

/** What joining the target's group grants, from the policy file as it is now; undefined when its shape hides it. */
export async function impactOf(core: EngineCore, flowName: string, targetName: string): Promise<AccessSummary | undefined> {
  const r = resolveRequest(core.manifest, flowName, targetName);
  const { text } = await (await core.accessFor(r.integration)).read();
  return assessGroupAccess(text, `group:${r.target.groupName}`).summary;
}
