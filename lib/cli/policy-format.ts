import { format } from '../hujson';
import { defineCommand, EXIT_FAILURE, EXIT_OK } from './command';
import { BadInputError } from './errors';
import { atMostOneOf, flag } from './flags';
import { readPolicyFile, replaceFile } from './policy-file';

/** `symtail policy format`: the file in the canonical form Tailscale stores. */
export const formatCommand = defineCommand({
  name: 'format',
  summary: 'print the file in canonical form, as Tailscale stores it',
  description: `Formats the policy file as the Tailscale API and admin console do on save (the reference HuJSON Format:
tabs, one item a line for multi-line values, aligned object values, comments kept).`,
  flags: {
    file: flag.string({ value: 'F', help: 'the policy file (HuJSON)', required: true }),
    ...atMostOneOf({
      check: flag.boolean({ help: 'print nothing; exit 1 when the file is not in canonical form' }),
      'in-place': flag.boolean({ help: 'replace the file instead of printing the canonical form' }),
    }),
  },
  notes: `Without --check or --in-place the canonical form goes to stdout. --in-place replaces the file atomically, and only
if it changed. Exit 0 when done (or, with --check, when already canonical), 1 when --check finds it is not, 2 on bad input.`,
  async run(f, io) {
    const policy = await readPolicyFile(f.file, io.cwd);
    let canonical: string;
    try {
      canonical = format(policy.text);
    } catch (e) {
      throw new BadInputError(`--file ${f.file}: ${(e as Error).message}`);
    }
    const already = canonical === policy.text;
    if (f.check) {
      io.stderr.write(already ? `${f.file} is in canonical form\n` : `${f.file} is not in canonical form; symtail policy format --in-place rewrites it\n`);
      return already ? EXIT_OK : EXIT_FAILURE;
    }
    if (!f['in-place']) {
      io.stdout.write(canonical);
    } else if (already) {
      io.stderr.write(`${f.file} already in canonical form; not written\n`);
    } else {
      await replaceFile(policy.path, canonical);
      io.stderr.write(`wrote ${f.file}\n`);
    }
    return EXIT_OK;
  },
});
