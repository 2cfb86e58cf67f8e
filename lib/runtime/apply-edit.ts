import { format } from '../hujson';
import { EditResult, refuseOtherMemberChanges } from '../policy';
import { policyDiff } from './diff';
import { PolicyEdit, TailnetAccess } from './tailnet-access';

/** What one edit did to a tailnet's policy file, or would do in a dry run. */
export interface EditOutcome {
  readonly dryRun: boolean;
  readonly written: boolean;
  readonly changed: boolean;
  readonly changes: EditResult['changes'];
  readonly warnings: readonly string[];
  readonly etagBefore: string;
  /** Absent in a dry run, and when the write's answer carried no ETag. */
  readonly etagAfter?: string;
  /** Only in a dry run: the unified diff from the file as read to what the tailnet would hold (the canonical form). */
  readonly diff?: string;
  /** Absent in a dry run: requests to the policy-file API of the write that carried the edit. */
  readonly roundTrips?: number;
  /** Absent in a dry run: true when the edit was written on the text kept from the last read or write, unread. */
  readonly cached?: boolean;
}

/**
 * Applies an edit through the tailnet's coalescing queue, or in a dry run reads, edits and diffs without writing (a
 * dry run always reads: its diff must be of the live file). `optimistic`: see {@link TailnetAccess.apply}.
 */
export async function applyEdit(access: TailnetAccess, edit: PolicyEdit, dryRun: boolean, optimistic = false): Promise<EditOutcome> {
  if (dryRun) {
    const { before, result, etag } = await access.preview(edit);
    // A write sends the edit formatted, as Tailscale stores it: that is what the diff must show.
    const held = result.changed ? format(result.text) : before;
    // Refused as the write would be: the dry run answers what the run would.
    if (result.changed) refuseOtherMemberChanges(before, held, result.changes);
    return {
      dryRun,
      written: false,
      changed: result.changed,
      changes: result.changes,
      warnings: result.warnings,
      etagBefore: etag,
      diff: policyDiff(before, held),
    };
  }
  const applied = await access.apply(edit, { optimistic });
  return {
    dryRun,
    written: applied.written,
    changed: applied.result.changed,
    changes: applied.result.changes,
    warnings: applied.result.warnings,
    etagBefore: applied.etagBefore,
    ...(applied.etagAfter === undefined ? {} : { etagAfter: applied.etagAfter }),
    roundTrips: applied.roundTrips,
    cached: applied.cached,
  };
}
