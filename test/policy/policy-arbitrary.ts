import fc from 'fast-check';

/** Generated policies: comments wherever they may go, LF or CRLF, tabs or spaces, one-line and multi-line arrays. */

export const NOW = new Date('2026-06-01T12:00:00Z');
/** Logins shared across groups, so the same member appears in several. */
export const LOGIN_POOL = ['alice@example.com', 'Bob@example.com', 'carol@github', 'dave@passkey', 'erin@example.org'];
/** Marks every comment that belongs to no member; a sweep must keep each of them. */
export const KEEP = 'keep';
/** A comment that belongs to no member yet reads like an expired grant: it must never come to trail a member. */
const DECOY_KEEP = `symtail: until=2026-05-03T00:00:00Z req=${KEEP}`;
/** After the comma before a member, on that member's line: the member's, though never its annotation. */
const LEAD = 'symtail: until=2026-05-02T00:00:00Z req=lead';
/** Notes a person may write beside a member; none of them is an annotation. */
const NOTES = ['own', 'Symtail pilot: on-call lead', 'symtail', 'symtail lead'] as const;

export type MemberKind = 'standing' | 'expired' | 'live' | 'malformed';

export interface MemberSpec {
  readonly login: string;
  readonly kind: MemberKind;
  readonly requestId: boolean;
  readonly lineAnnotation: boolean;
  /** A block comment after the member, on its line. */
  readonly sameLineComment?: (typeof NOTES)[number];
  /** Whether that comment goes after the comma rather than before it (when the member's line ends there). */
  readonly noteAfterComma: boolean;
  readonly commentLineBefore: boolean;
  /** A block comment after the previous comma, on this member's line. */
  readonly leadComment: boolean;
  /** In a multi-line array, the member continues the previous line. */
  readonly joinPrevious: boolean;
  /** In a multi-line array, the comma after the member starts the next line. */
  readonly commaOnNextLine: boolean;
}

export interface GroupSpec {
  readonly members: readonly MemberSpec[];
  readonly multiLine: boolean;
  readonly trailingComma: boolean;
  readonly spaced: boolean;
  readonly commentAfterOpen: boolean;
  readonly commentLineBeforeClose: boolean;
  readonly commentLineBefore: boolean;
  /** The closing bracket sits on the last member's line (multi-line arrays). */
  readonly closeOnLastLine: boolean;
}

export interface PolicySpec {
  readonly eol: '\n' | '\r\n';
  readonly unit: '\t' | '  ' | '    ';
  readonly groupsOneLine: boolean;
  readonly groups: readonly GroupSpec[];
  readonly groupsTrailingComma: boolean;
  readonly rootTrailingComma: boolean;
  readonly leadingComment: boolean;
  /** Comments that belong to no member read like expired grants. */
  readonly decoys: boolean;
}

const member: fc.Arbitrary<MemberSpec> = fc.record({
  login: fc.constantFrom(...LOGIN_POOL),
  kind: fc.constantFrom<MemberKind>('standing', 'expired', 'live', 'malformed'),
  requestId: fc.boolean(),
  lineAnnotation: fc.boolean(),
  sameLineComment: fc.option(fc.constantFrom(...NOTES), { nil: undefined }),
  noteAfterComma: fc.boolean(),
  commentLineBefore: fc.boolean(),
  leadComment: fc.boolean(),
  joinPrevious: fc.boolean(),
  commaOnNextLine: fc.boolean(),
});

const group: fc.Arbitrary<GroupSpec> = fc.record({
  members: fc.array(member, { maxLength: 6 }),
  multiLine: fc.boolean(),
  trailingComma: fc.boolean(),
  spaced: fc.boolean(),
  commentAfterOpen: fc.boolean(),
  commentLineBeforeClose: fc.boolean(),
  commentLineBefore: fc.boolean(),
  closeOnLastLine: fc.boolean(),
});

export const policySpec: fc.Arbitrary<PolicySpec> = fc.record({
  eol: fc.constantFrom<'\n' | '\r\n'>('\n', '\r\n'),
  unit: fc.constantFrom<'\t' | '  ' | '    '>('\t', '  ', '    '),
  groupsOneLine: fc.boolean(),
  groups: fc.array(group, { minLength: 1, maxLength: 4 }),
  groupsTrailingComma: fc.boolean(),
  rootTrailingComma: fc.boolean(),
  leadingComment: fc.boolean(),
  decoys: fc.boolean(),
});

export const groupName = (index: number) => `g${index}`;

/** The grant a member's annotation records, for the kinds that have a valid one. */
export function grantOf(m: MemberSpec, index: number): { until: string; requestId?: string } | undefined {
  const day = String(1 + (index % 28)).padStart(2, '0');
  const until = m.kind === 'expired' ? `2026-05-${day}T00:00:00Z` : m.kind === 'live' ? `2026-07-${day}T00:00:00Z` : undefined;
  if (until === undefined) return undefined;
  return m.requestId ? { until, requestId: `r-${index}` } : { until };
}

function annotation(m: MemberSpec, index: number): string | undefined {
  const req = m.requestId ? ` req=r-${index}` : '';
  if (m.kind === 'malformed') return `symtail: until=later${req}`;
  const grant = grantOf(m, index);
  return grant && `symtail: until=${grant.until}${req}`;
}

const keepText = (spec: PolicySpec) => (spec.decoys ? DECOY_KEEP : KEEP);
const block = (text: string | undefined) => (text === undefined ? '' : ` /* ${text} */`);

function renderInlineArray(g: GroupSpec, spec: PolicySpec): string {
  const sp = g.spaced ? ' ' : '';
  const items = g.members.map((m, i) => {
    const lead = m.leadComment && i > 0 ? `/* ${LEAD} */ ` : '';
    return `${lead}${JSON.stringify(m.login)}${block(annotation(m, i))}${block(m.sameLineComment)}`;
  });
  const open = g.commentAfterOpen ? `[/* ${keepText(spec)} */${sp}` : `[${sp}`;
  return `${open}${items.join(`,${sp || ' '}`)}${g.trailingComma && items.length > 0 ? ',' : ''}${sp}]`;
}

/**
 * One member per line by default; members may continue the previous line, and commas may start the next one
 * (followed by a comment that belongs to no member, or by the next member).
 */
function renderMultiLineArray(g: GroupSpec, spec: PolicySpec, depth: number): string {
  const { eol } = spec;
  const indent = spec.unit.repeat(depth + 1);
  const keep = keepText(spec);
  const n = g.members.length;
  const closeOnLastLine = g.closeOnLastLine && n > 0;
  let out = g.commentAfterOpen ? `[ // ${keep}${eol}` : `[${eol}`;
  g.members.forEach((m, i) => {
    const last = i === n - 1;
    const nextJoins = !last && g.members[i + 1].joinPrevious;
    const comma = !last || g.trailingComma ? ',' : '';
    const commaOwnLine = comma !== '' && m.commaOnNextLine;
    // Whatever follows the member on its line: a line comment may end it only if nothing else must follow.
    const lineEnds = commaOwnLine || (!nextJoins && !(last && closeOnLastLine));
    const a = annotation(m, i);
    const lineComment = a !== undefined && m.lineAnnotation && lineEnds;

    out += i > 0 && m.joinPrevious ? ' ' : `${m.commentLineBefore ? `${indent}// ${keep}${eol}` : ''}${indent}`;
    if (m.leadComment && i > 0) out += `/* ${LEAD} */ `;
    out += JSON.stringify(m.login) + (lineComment ? '' : block(a));
    const noteAfter = m.noteAfterComma && !commaOwnLine && lineEnds;
    if (!noteAfter) out += block(m.sameLineComment);
    if (!commaOwnLine) out += comma;
    if (noteAfter) out += block(m.sameLineComment);
    if (lineComment) out += ` // ${a}`;
    if (commaOwnLine) {
      out += `${eol}${indent},`;
      if (nextJoins || (last && closeOnLastLine)) return;
      out += ` // ${keep}${eol}`;
    } else if (lineEnds) {
      out += eol;
    }
  });
  if (closeOnLastLine) return `${out}]`;
  const beforeClose = g.commentLineBeforeClose ? `${indent}// ${keep}${eol}` : '';
  return `${out}${beforeClose}${spec.unit.repeat(depth)}]`;
}

export function renderPolicy(spec: PolicySpec): string {
  const { eol, unit } = spec;
  const top = spec.leadingComment ? `// ${KEEP}: generated policy${eol}` : '';
  const acls = `"acls": [{"action": "accept", "src": ["group:g0"], "dst": ["*:*"]}]`;
  let groups: string;
  if (spec.groupsOneLine) {
    const entries = spec.groups.map((g, i) => `"group:${groupName(i)}": ${renderInlineArray(g, spec)}`);
    groups = `{${entries.join(', ')}}`;
  } else {
    const entries = spec.groups.map((g, i) => {
      const comma = i < spec.groups.length - 1 || spec.groupsTrailingComma ? ',' : '';
      const array = g.multiLine ? renderMultiLineArray(g, spec, 2) : renderInlineArray(g, spec);
      const before = g.commentLineBefore ? `${unit.repeat(2)}// ${KEEP}${eol}` : '';
      return `${before}${unit.repeat(2)}"group:${groupName(i)}": ${array}${comma}${eol}`;
    });
    groups = `{${eol}${entries.join('')}${unit}}`;
  }
  return `${top}{${eol}${unit}"groups": ${groups},${eol}${unit}${acls}${spec.rootTrailingComma ? ',' : ''}${eol}}${eol}`;
}

/** The groups as plain data, members in order; `drop` says which members a change removes. */
export function expectedGroups(spec: PolicySpec, drop: (m: MemberSpec, group: number) => boolean): Record<string, string[]> {
  return Object.fromEntries(spec.groups.map((g, i) => [`group:${groupName(i)}`, g.members.filter((m) => !drop(m, i)).map((m) => m.login)]));
}
