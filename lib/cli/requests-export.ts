import { escapeInvisibleInJson } from '../errors';
import { ReadRequest } from '../requests';
import { EXIT_FAILURE, EXIT_OK, defineCommand } from './command';
import { CliIo } from './io';
import { csv } from './csv';
import { OutputFormat, outputFormat, tableOutput } from './output';
import { API_FLAGS, describeRequest, endpoint, NOTES, refused, send, STATE_FLAG, who } from './requests-api';

/** The columns of `requests export --csv`: what a reviewer filters on; the history stays in the JSON. */
const EXPORT_COLUMNS = [
  'id',
  'state',
  'flow',
  'target',
  'requester',
  'login',
  'duration',
  'created_at',
  'until',
  'approvers',
  'reason',
  'break_glass',
  'needs_review',
  'extends',
  'tampered',
];

function exportRow(r: ReadRequest): string[] {
  const approvers = r.approvals.map((a) => (a.actor.kind === 'system' ? who(a.actor) : a.actor.email)).join(' ');
  const yes = (b: boolean | undefined) => (b === true ? 'yes' : '');
  return [
    r.id,
    r.state,
    r.flow,
    r.target,
    r.requester.email,
    r.login,
    r.duration,
    r.createdAt,
    r.until ?? '',
    approvers,
    r.reason ?? '',
    yes(r.breakGlass),
    yes(r.needsReview),
    r.extends ?? '',
    yes(r.tampered),
  ];
}

/** Writes one request as the output flags ask: its lines, one JSON object a line, or one CSV record. */
function writeExported(io: CliIo, format: OutputFormat, r: ReadRequest): void {
  if (format === 'json') io.stdout.write(`${escapeInvisibleInJson(JSON.stringify(r))}\n`);
  else if (format === 'csv') io.stdout.write(csv([exportRow(r)]));
  else io.stdout.write(describeRequest(r));
}

export const exportCommand = defineCommand({
  name: 'export',
  summary: 'write every request (newest first), reading the API a page at a time',
  description: `Asks the requests API for every request, newest first, 100 at a time: each answer's nextCursor asks for the
page after it, until the last. Each request is written as soon as its page arrives.`,
  flags: {
    ...API_FLAGS,
    state: STATE_FLAG,
    ...tableOutput({ json: 'each request on a line of its own', csv: 'one record per request (its history stays in the JSON)' }),
  },
  notes: `A request made while the export runs is left out, being newer than the pages already read. If a page fails, the
requests written before it stand, stderr says how many, and the exit code is the failure's.

${NOTES}`,
  async run(f, io) {
    const at = endpoint(f, io);
    const format = outputFormat(f);
    if (format === 'csv') io.stdout.write(csv([EXPORT_COLUMNS]));
    let written = 0;
    let cursor: string | undefined;
    const stopped = (code: number) => {
      io.stderr.write(`symtail requests export: stopped after ${written} request${written === 1 ? '' : 's'}\n`);
      return code;
    };
    do {
      const sent = await send(
        'requests export',
        at,
        { action: 'requests', ...(f.state === undefined ? {} : { state: f.state }), ...(cursor === undefined ? {} : { cursor }) },
        io,
      );
      if (sent === undefined) return stopped(EXIT_FAILURE);
      if (sent.answer.ok !== true) return stopped(refused('requests export', sent, io));
      for (const r of sent.answer.requests ?? []) writeExported(io, format, r);
      written += sent.answer.requests?.length ?? 0;
      // An answer that sends the export back where it was would never end.
      if (sent.answer.nextCursor !== undefined && sent.answer.nextCursor === cursor) {
        io.stderr.write('symtail requests export: the API answered the cursor it was sent; not asking again\n');
        return stopped(EXIT_FAILURE);
      }
      cursor = sent.answer.nextCursor;
    } while (cursor !== undefined);
    if (format === 'text' && written === 0) io.stdout.write('no requests\n');
    return EXIT_OK;
  },
});
