export { PolicyShapeError } from './errors';
export type { AccessSummary } from './summarize';
export { summarizeGroupAccess, summarizeImpact } from './summarize';
export type { Danger, DangerKind, GroupImpact, ImpactRule, ImpactSection } from './impact';
export { groupImpact } from './impact';
export * from './model';
export { isPortSpec, portsInclude, splitHostPorts } from './ports';
export { readAccessPolicy } from './read-policy';
export { selectorReaching } from './selectors';
