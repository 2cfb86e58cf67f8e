import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { killLiveChildren, reapOnTeardown } from '../../lib/testing';

const ROOT = path.resolve(__dirname, '../..');

/** Whether `pid` is a live process: a killed child whose parent is gone may stay a zombie (state Z) until init reaps it. */
const running = (pid: number) => {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const stat = fs.existsSync(`/proc/${pid}/stat`) ? fs.readFileSync(`/proc/${pid}/stat`, 'utf8') : '';
  return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
};

/** Whether `pid` is still running after up to a second: a killed orphan is reaped by init a moment after its parent exits. */
async function stillRunning(pid: number): Promise<boolean> {
  for (let i = 0; i < 20 && running(pid); i++) await new Promise((resolve) => setTimeout(resolve, 50));
  return running(pid);
}

const exited = (child: ReturnType<typeof spawn>) => new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));

/** Runs the abandoned-child fixture suite in a Jest of its own with `testEnvironment`; returns the child's pid. */
function runAbandoningSuite(testEnvironment: string): { status: number | null; pid: number } {
  const pidFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'symtail-reap-')), 'pid');
  const config = {
    rootDir: ROOT,
    roots: ['<rootDir>/test/testing/fixtures'],
    testMatch: ['**/abandoned-child.fixture.ts'],
    testEnvironment,
    transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  };
  const run = spawnSync(process.execPath, [require.resolve('jest/bin/jest'), '--runInBand', '--forceExit', '--config', JSON.stringify(config)], {
    cwd: ROOT,
    env: { ...process.env, SYMTAIL_CHILD_PID_FILE: pidFile },
    encoding: 'utf8',
  });
  return { status: run.status, pid: Number(fs.readFileSync(pidFile, 'utf8')) };
}

describe('child processes started for tests', () => {
  it('are killed by killLiveChildren while they run, and no longer counted once they exit', async () => {
    const gone = reapOnTeardown(spawn(process.execPath, ['-e', ''], { stdio: 'ignore' }));
    await exited(gone);
    const live = reapOnTeardown(spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' }));
    const signal = exited(live);
    expect(killLiveChildren()).toBe(1);
    expect(await signal).toBe('SIGKILL');
  });

  it('are reaped when a suite fails before stopping them, and outlive the suite under plain Node environment', async () => {
    const reaped = runAbandoningSuite('<rootDir>/test/support/reaping-environment.js');
    expect(reaped.status).toBe(1);
    expect(await stillRunning(reaped.pid)).toBe(false);

    const plain = runAbandoningSuite('node');
    try {
      expect(plain.status).toBe(1);
      expect(await stillRunning(plain.pid)).toBe(true);
    } finally {
      process.kill(plain.pid, 'SIGKILL');
    }
  }, 60_000);
});
