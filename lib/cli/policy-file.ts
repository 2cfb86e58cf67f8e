import { randomBytes } from 'crypto';
import { promises as fs } from 'fs';
import * as path from 'path';
import { decodePolicyBytes, HujsonSyntaxError } from '../hujson';
import { BadInputError } from './errors';

/** Reads the policy file named by `--file`; a file that cannot be read, or is not UTF-8, is bad input. */
export async function readPolicyFile(file: string, cwd: string): Promise<{ path: string; text: string }> {
  const resolved = path.resolve(cwd, file);
  let bytes: Buffer;
  try {
    bytes = await fs.readFile(resolved);
  } catch (e) {
    throw new BadInputError(`--file: cannot read ${file}: ${readProblem(e as NodeJS.ErrnoException)}`);
  }
  try {
    return { path: resolved, text: decodePolicyBytes(bytes) };
  } catch (e) {
    if (e instanceof HujsonSyntaxError) throw new BadInputError(`--file ${file}: ${e.message}`);
    throw e;
  }
}

function readProblem(e: NodeJS.ErrnoException): string {
  switch (e.code) {
    case 'ENOENT':
      return 'no such file';
    case 'EACCES':
      return 'permission denied';
    case 'EISDIR':
      return 'it is a directory';
    default:
      return e.code ?? e.message;
  }
}

/**
 * Replaces the file atomically: the new text goes to a temporary file beside it (same directory, so the rename
 * cannot cross file systems), which then takes the file's name. Readers see the old file or the new one, never half.
 */
export async function replaceFile(file: string, text: string): Promise<void> {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  const { mode } = await fs.stat(file);
  try {
    const handle = await fs.open(temp, 'wx', mode);
    try {
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(temp, file);
  } catch (e) {
    await fs.rm(temp, { force: true });
    throw e;
  }
}
