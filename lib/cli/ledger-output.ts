import { LedgerListing } from '../policy';
import { csv } from './csv';
import { CliIo } from './io';
import { OutputFormat, table, tableOutput } from './output';

/** The output flags of `grants`, offline and live. */
export const LEDGER_OUTPUT = tableOutput({ json: '{active, overdue, standing, warnings}', csv: 'one record per member' });

/** Every member in the order people read them: overdue first, then active, then standing; absent cells empty. */
function ledgerRows(listing: LedgerListing): string[][] {
  const granted = (state: string, xs: LedgerListing['active']) => xs.map((g) => [`group:${g.group}`, g.member, state, g.until, g.requestId ?? '']);
  return [
    ...granted('overdue', listing.overdue),
    ...granted('active', listing.active),
    ...listing.standing.map((s) => [`group:${s.group}`, s.member, 'standing', '', '']),
  ];
}

/** The one shape of `grants`, offline and live: JSON `{active, overdue, standing, warnings}`, a table, or CSV with
 * the table's columns; warnings (overdue members among them) always on stderr. */
export function printLedger(io: CliIo, listing: LedgerListing, format: OutputFormat): void {
  if (format === 'json') io.stdout.write(`${JSON.stringify(listing, null, 2)}\n`);
  else if (format === 'csv') io.stdout.write(csv([['group', 'member', 'state', 'until', 'request_id'], ...ledgerRows(listing)]));
  else io.stdout.write(table([['GROUP', 'MEMBER', 'STATE', 'UNTIL', 'REQUEST'], ...ledgerRows(listing).map((r) => r.map((cell) => cell || '-'))]));
  io.stderr.write(listing.warnings.map((w) => `warning: ${w}\n`).join(''));
}

export const LEDGER_NOTE = `States: active (expiry ahead), overdue (expiry passed and the member is still present: the sweep failed
or never ran; each gets a warning on stderr), standing (no symtail annotation). JSON: {active, overdue, standing, warnings}.`;
