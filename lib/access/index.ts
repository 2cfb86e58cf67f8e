export { PolicyShapeError } from './errors';
export type { AccessSummary } from './summarize';
export { dangerLine, ruleLine, summarizeGroupAccess, summarizeImpact } from './summarize';
export { DANGERS } from './dangers';
export type { DangerKind } from './dangers';
export type { Danger, GroupImpact, ImpactRule, ImpactSection } from './impact';
export { groupImpact } from './impact';
export * from './model';
export { isPortSpec, portsInclude, splitHostPorts } from './ports';
export { readAccessPolicy } from './read-policy';
export { selectorReaching } from './selectors';
export type { AccessReport, AccessReportOptions, GroupReport, TimedMember } from './report';
export { accessReport } from './report';
export type { AccessAssessment } from './assess';
export { assessGroupAccess } from './assess';
export { daysLeftIfSoon, EXPIRY_WARNING_DAYS } from './expiry';
export type { CheckStatus, TailnetCheck } from './checks';
export type {
  CredentialFacts,
  InventoryDevice,
  InventoryKey,
  InventorySection,
  InventorySettings,
  InventoryUser,
  KeyState,
  SectionReading,
  TailnetInventory,
} from './inventory';
export { OFFLINE_INVENTORY } from './inventory';
export type { DeviceEntry, DevicesSection, KeyEntry, KeysSection, SectionState, TailnetReport } from './tailnet-report';
export { tailnetReport } from './tailnet-report';
