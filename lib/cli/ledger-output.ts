import { LedgerListing } from '../policy';
import { CliIo } from './io';
import { table } from './output';

/** The one shape of `grants`, offline and live: JSON `{active, overdue, standing, warnings}`, or a table; warnings
 * (overdue members among them) always on stderr. */
export function printLedger(io: CliIo, listing: LedgerListing, json: boolean): void {
  if (json) {
    io.stdout.write(`${JSON.stringify(listing, null, 2)}\n`);
  } else {
    const entries = (state: string, xs: LedgerListing['active']) => xs.map((g) => [`group:${g.group}`, g.member, state, g.until, g.requestId ?? '-']);
    io.stdout.write(
      table([
        ['GROUP', 'MEMBER', 'STATE', 'UNTIL', 'REQUEST'],
        ...entries('overdue', listing.overdue),
        ...entries('active', listing.active),
        ...listing.standing.map((s) => [`group:${s.group}`, s.member, 'standing', '-', '-']),
      ]),
    );
  }
  io.stderr.write(listing.warnings.map((w) => `warning: ${w}\n`).join(''));
}

export const LEDGER_NOTE = `States: active (expiry ahead), overdue (expiry passed and the member is still present: the sweep failed
or never ran; each gets a warning on stderr), standing (no symtail annotation). JSON: {active, overdue, standing, warnings}.`;
