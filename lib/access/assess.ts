import { HujsonSyntaxError } from '../hujson';
import { PolicyShapeError } from './errors';
import { AccessSummary, summarizeGroupAccess } from './summarize';

/** What granting a group means, as the runtime reports it: the summary, and one warning per flagged danger. */
export interface AccessAssessment {
  /** Absent when the policy file's access sections could not be read; a warning then says why. */
  readonly summary?: AccessSummary;
  readonly warnings: readonly string[];
}

/**
 * Assesses `group:<name>` in a policy file for an escalation. The analysis advises and never blocks: a file whose
 * access sections it cannot read still takes the grant (Tailscale is the judge of the file), with a warning.
 */
export function assessGroupAccess(policyText: string, group: string): AccessAssessment {
  try {
    const summary = summarizeGroupAccess(policyText, group);
    return { summary, warnings: summary.dangers.map((d) => `${group} carries a flagged danger: ${d}`) };
  } catch (error) {
    if (error instanceof PolicyShapeError || error instanceof HujsonSyntaxError) {
      return { warnings: [`${group}: access impact unknown: ${error.message}`] };
    }
    throw error;
  }
}
