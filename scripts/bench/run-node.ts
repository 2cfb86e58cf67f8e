import { execFile } from 'node:child_process';

/** Runs `node args…` to its end and returns its stdout; fails with its stderr, or when `timeoutMs` passes. */
export function runNode(args: readonly string[], options: { timeoutMs: number; env?: NodeJS.ProcessEnv }): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [...args],
      { timeout: options.timeoutMs, killSignal: 'SIGKILL', env: options.env ?? process.env, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error)
          reject(
            new Error(
              `node ${args[0]} failed (${error.killed ? `killed after ${options.timeoutMs} ms` : error.message.split('\n')[0]}): ${String(stderr).trim().slice(-2000)}`,
            ),
          );
        else resolve(String(stdout));
      },
    );
  });
}
