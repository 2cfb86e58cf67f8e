import { FlowManifest, IntegrationManifest, Manifest, parseDuration } from '../../manifest';
import { quoteForMessage } from '../../errors';
import { isAllowedRequester } from '../../requests';
import { RequestRejectedError } from '../errors';
import { checkAsciiEmail, loginFor } from '../identity';
import { CheckedAccess, Resolved } from './results';

// A flow's rules for a request, as pure functions of the manifest: which flow and target it names, who may ask, whether
// a reason is needed, and how long a grant may last. The approval rules are the requests core's (approval-rules.ts).

/** The flow named so, or a rejection listing the known flows. */
export function flowNamed(manifest: Manifest, name: string): FlowManifest {
  const flow = Object.prototype.hasOwnProperty.call(manifest.flows, name) ? manifest.flows[name] : undefined;
  if (!flow)
    throw new RequestRejectedError('unknown-flow', `flow: no flow named ${quoteForMessage(name)}; known flows: ${Object.keys(manifest.flows).join(', ')}`);
  return flow;
}

/** The integration whose tailnet a flow's strategy edits. */
export function integrationOfFlow(manifest: Manifest, flow: string): IntegrationManifest {
  return manifest.integrations[manifest.strategies[flowNamed(manifest, flow).strategy].integration];
}

/** Flow → strategy → integration and target; a target the flow's strategy does not have is refused, naming its targets. */
export function resolveRequest(manifest: Manifest, flowName: string, targetName: string): Resolved {
  const flow = flowNamed(manifest, flowName);
  const strategy = manifest.strategies[flow.strategy];
  if (!strategy.targets.includes(targetName)) {
    throw new RequestRejectedError(
      'unknown-target',
      `target: flow "${flow.name}" has no target named ${quoteForMessage(targetName)}; its targets: ${strategy.targets.join(', ')}`,
    );
  }
  return { flow, strategy, integration: manifest.integrations[strategy.integration], target: manifest.targets[targetName] };
}

/** The requester must be one ASCII email the flow's `allowedRequesters` take. */
export function checkRequester(flow: FlowManifest, email: string): void {
  checkAsciiEmail(email);
  if (!isAllowedRequester(flow.allowedRequesters, email)) {
    throw new RequestRejectedError('denied', `requester.email: ${email} is not an allowed requester of flow "${flow.name}"`);
  }
}

/** A flow with `reasonRequired` refuses a request without a reason (or with only white space). */
export function checkReason(flow: FlowManifest, reason: string | undefined): void {
  if (flow.reasonRequired && (reason === undefined || reason.trim() === '')) {
    throw new RequestRejectedError('invalid-request', `reason: flow "${flow.name}" requires a reason`);
  }
}

/**
 * The duration a request gets: the one asked for, else the flow's first, else its maximum. It must be one of the
 * flow's `durations` when it lists some, and within the flow's and the target's maximum.
 */
export function checkDuration(r: Resolved, requested: string | undefined): { duration: string; seconds: number } {
  const { flow, target } = r;
  const chosen = requested ?? flow.durations[0] ?? flow.maxDuration;
  if (flow.durations.length > 0 && !flow.durations.includes(chosen)) {
    throw new RequestRejectedError('invalid-request', `duration: flow "${flow.name}" allows ${flow.durations.join(' or ')}, got "${chosen}"`);
  }
  const seconds = parseDuration(chosen, 'duration');
  const limits = [{ what: `flow "${flow.name}"`, max: flow.maxDuration }];
  if (target.maxDuration !== undefined) limits.push({ what: `target "${target.name}"`, max: target.maxDuration });
  for (const limit of limits) {
    if (seconds > parseDuration(limit.max)) {
      throw new RequestRejectedError('invalid-request', `duration: "${chosen}" is longer than the ${limit.what} allows (${limit.max})`);
    }
  }
  return { duration: chosen, seconds };
}

/**
 * A request for access checked as an escalation is: its flow and target resolved, the requester and reason checked,
 * the duration chosen, and the tailnet login it would grant (the integration's identity overrides, else the email).
 */
export function checkAccess(manifest: Manifest, flow: string, target: string, email: string, duration?: string, reason?: string): CheckedAccess {
  const resolved = resolveRequest(manifest, flow, target);
  checkRequester(resolved.flow, email);
  checkReason(resolved.flow, reason);
  const chosen = checkDuration(resolved, duration);
  return { resolved, login: loginFor(resolved.integration, email), ...chosen };
}

/** The expiry of a grant of `seconds` from `now`, on a whole second: annotations carry no fractions. */
export function expiryAfter(now: Date, seconds: number): Date {
  return new Date(Math.floor(now.getTime() / 1000) * 1000 + seconds * 1000);
}
