import type { ChildProcess } from 'node:child_process';

/**
 * Child processes started for tests and demos (function processes, packaged runs) that have not exited yet, kept
 * where the test environment can reach them: on the global object. A suite that fails between starting a child and
 * stopping it would otherwise leave the child running after the suite, and keep the run from exiting. Jest's
 * environment (`test/support/reaping-environment.js`) kills what is left when a suite is torn down, after every
 * `afterAll`; outside Jest, the process's `exit` does.
 */
const LIVE_CHILDREN = '__symtailLiveChildren';

type Registry = { [LIVE_CHILDREN]?: Set<ChildProcess> };

function liveChildren(): Set<ChildProcess> {
  const registry = globalThis as Registry;
  registry[LIVE_CHILDREN] ??= new Set();
  return registry[LIVE_CHILDREN];
}

/** Kills every child still running; returns how many there were. */
export function killLiveChildren(): number {
  const live = liveChildren();
  const count = live.size;
  for (const child of live) child.kill('SIGKILL');
  live.clear();
  process.off('exit', killLiveChildren);
  return count;
}

/** Keeps `child` in the registry until it exits, so that it is killed if its owner never stops it. */
export function reapOnTeardown<T extends ChildProcess>(child: T): T {
  const live = liveChildren();
  // One exit listener while any child lives, rather than one per module instance (Jest loads this once a suite).
  if (live.size === 0) process.on('exit', killLiveChildren);
  live.add(child);
  child.once('exit', () => {
    live.delete(child);
    if (live.size === 0) process.off('exit', killLiveChildren);
  });
  return child;
}
