import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { reapOnTeardown } from '../../lib/testing';

// `npm run demo` after its build: the compiled demo in a process of its own, as a reader runs it. Its exit code is
// the demo's own verdict; the lines below are what it promises to show.
const ROOT = path.resolve(__dirname, '../..');

let run: { code: number | null; stdout: string; stderr: string };
beforeAll(async () => {
  const child = reapOnTeardown(
    spawn(process.execPath, [path.join(ROOT, 'dist/scripts/demo.js')], { cwd: ROOT, env: { PATH: process.env.PATH }, stdio: ['ignore', 'pipe', 'pipe'] }),
  );
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout!.on('data', (chunk: Buffer) => out.push(chunk));
  child.stderr!.on('data', (chunk: Buffer) => err.push(chunk));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  run = { code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') };
}, 120_000);

test('the demo exits 0, and none of its checks says NO', () => {
  expect(run.stderr).not.toContain('demo failed');
  expect(run.code).toBe(0);
  expect(run.stdout.split('\n').filter((line) => /: NO\b/.test(line))).toEqual([]);
  expect(run.stdout).toContain('policy back where it started (value and canonical text): yes');
});

test.each([
  [
    'an on-call requester granted with no human vote, the approval naming the schedule',
    /auto-approve symtail on-call {2}\(dana@example\.com is on call in schedule PSRE001 /,
  ],
  [
    'an extension moving until, the one annotation naming the new request',
    /\+\t\t"group:prod": \["dana@example\.com" \/\* symtail: until=\S+ req=(r-[0-9a-f]+) \*\/ \],/,
  ],
  ['the extended grant taken back by the sweep', /removed: dana@example\.com from group:prod; requests ended: r-[0-9a-f]+; dana is in no group: yes/],
  [
    'a break-glass request told loudly in the channel, mentioning the approvers',
    /:rotating_light: \*Break-glass:\* alice@example\.com granted themself \*Prod SSH Access\* for \*30m\*/,
  ],
  [
    'the requester’s own review refused',
    /alice clicks Mark reviewed on her own request\n {3}front door answered 200 in [\d.]+ ms; runtime refused: self-approval/,
  ],
  ['an approver’s review recorded and shown', /C0REQUESTS: :white_check_mark: Reviewed by <@U0BOB> at \d{4}-/],
])('it shows %s', (_what, line) => {
  expect(run.stdout).toMatch(line);
});
