import type { CheckLine, CheckResult, DoctorStatus } from '../runtime';
import { EXIT_FAILURE, EXIT_OK, defineCommand } from './command';
import { CliIo } from './io';
import { jsonOutput } from './output';
import { INVOKE_FLAGS, invokeDeployed } from './lambda-invoke';
import { escapeInvisible } from '../errors';

/** How each status is marked, as Flutter's doctor marks its lines. */
const MARKS: Readonly<Record<DoctorStatus, string>> = { ok: '[✓]', fail: '[✗]', warn: '[!]', skip: '[-]' };
const STATUSES = Object.keys(MARKS);

export const doctorCommand = defineCommand({
  name: 'doctor',
  summary: 'check a deployed runtime: secrets, credential and scopes, groups, table, key, Slack, schedule',
  description: `Asks the deployed symtail Lambda to check itself (the event {"action":"check"}, which changes nothing: AWS
credentials and region from the usual AWS environment) and prints its checklist, with a fix under each line that
fails.`,
  flags: {
    ...INVOKE_FLAGS,
    ...jsonOutput('the checklist'),
  },
  notes: `Exit 0 when no line fails (a warning does not fail), 1 when a line fails or the function could not be asked,
2 on bad usage.`,
  async run(f, io) {
    const answer = await invokeDeployed(f.function, f.region, { action: 'check' }, io);
    const error = (answer as { ok?: unknown; error?: { code?: unknown; message?: unknown } } | null)?.error;
    if ((answer as { ok?: unknown } | null)?.ok === false && error !== undefined) {
      const old = error.code === 'invalid-event' ? ' (a runtime older than symtail doctor: deploy this version of symtail)' : '';
      io.stderr.write(`symtail doctor: the function refused the check${old}: ${escapeInvisible(String(error.message))}\n`);
      return EXIT_FAILURE;
    }
    if (!isCheckResult(answer)) {
      io.stderr.write('symtail doctor: the function answered something that is not a checklist\n');
      return EXIT_FAILURE;
    }
    if (f.json) io.stdout.write(`${JSON.stringify(answer, null, 2)}\n`);
    else printChecklist(io, f.function, answer);
    return answer.lines.some((l) => l.status === 'fail') ? EXIT_FAILURE : EXIT_OK;
  },
});

function isCheckResult(value: unknown): value is CheckResult {
  const r = value as Partial<CheckResult> | null;
  const isLine = (l: Partial<CheckLine> | null) =>
    typeof l?.id === 'string' && typeof l.detail === 'string' && STATUSES.includes(l.status as string) && (l.fix === undefined || typeof l.fix === 'string');
  return r?.action === 'check' && Array.isArray(r.lines) && r.lines.every(isLine);
}

/**
 * The checklist as Flutter's and Homebrew's doctors print theirs: one line each, marked, ids aligned, the fix indented
 * under a line that fails or warns, and a last line that says whether anything needs doing.
 *
 *   [✓] requests-table  table symtail-main-runtime-requests answers
 *   [✗] group:prod      group:prod is not in the policy file, and target prod may not create it
 *                       fix: add "group:prod": [] to "groups" in the policy file, or set createGroup on target prod
 */
function printChecklist(io: CliIo, functionName: string, result: CheckResult): void {
  const width = Math.max(...result.lines.map((l) => l.id.length));
  const out = [`symtail doctor: ${functionName} (environment ${result.environment})`, ''];
  for (const line of result.lines) {
    out.push(`${MARKS[line.status]} ${line.id.padEnd(width)}  ${line.detail}`);
    if (line.fix !== undefined && line.status !== 'ok') out.push(`${' '.repeat(4 + width + 2)}fix: ${line.fix}`);
  }
  const failures = result.lines.filter((l) => l.status === 'fail').length;
  const warnings = result.lines.filter((l) => l.status === 'warn').length;
  const counted = [plural(failures, 'check', 'failed'), plural(warnings, 'warning')].filter((x) => x !== '').join(', ');
  out.push('');
  if (failures > 0) out.push(`✗ ${counted} (of ${result.lines.length}). Fix the lines marked ✗, then run symtail doctor again.`);
  else if (warnings > 0) out.push(`! No check failed; ${counted} (of ${result.lines.length}).`);
  else out.push(`✓ No issues found: all ${result.lines.length} checks passed.`);
  io.stdout.write(out.map((l) => `${escapeInvisible(l)}\n`).join(''));
}

function plural(n: number, noun: string, verb?: string): string {
  if (n === 0) return '';
  return `${n} ${noun}${n === 1 ? '' : 's'}${verb === undefined ? '' : ` ${verb}`}`;
}
