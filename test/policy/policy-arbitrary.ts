import fc from 'fast-check';

/** Generated policies: comments wherever they may go, LF or CRLF, tabs or spaces, one-line and multi-line arrays. */

export const NOW = new Date('2026-06-01T12:00:00Z');
/** Logins shared across groups, so the same member appears in several. */
export const LOGIN_POOL = ['alice@example.com', 'Bob@example.com', 'carol@github', 'dave@passkey', 'erin@example.org'];
/** Marks every comment that belongs to no member; a sweep must keep each of them. */
export const KEEP = 'keep';

export type MemberKind = 'standing' | 'expired' | 'live' | 'malformed';

export interface MemberSpec {
  readonly login: string;
  readonly kind: MemberKind;
  readonly requestId: boolean;
  readonly lineAnnotation: boolean;
  readonly sameLineComment: boolean;
  readonly commentLineBefore: boolean;
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
}

const member: fc.Arbitrary<MemberSpec> = fc.record({
  login: fc.constantFrom(...LOGIN_POOL),
  kind: fc.constantFrom<MemberKind>('standing', 'expired', 'live', 'malformed'),
  requestId: fc.boolean(),
  lineAnnotation: fc.boolean(),
  sameLineComment: fc.boolean(),
  commentLineBefore: fc.boolean(),
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
});

export const groupName = (index: number) => `g${index}`;

function annotation(m: MemberSpec, index: number): string | undefined {
  const req = m.requestId ? ` req=r-${index}` : '';
  switch (m.kind) {
    case 'standing':
      return undefined;
    case 'expired':
      return `symtail: until=2026-05-${String(1 + (index % 28)).padStart(2, '0')}T00:00:00Z${req}`;
    case 'live':
      return `symtail: until=2026-07-${String(1 + (index % 28)).padStart(2, '0')}T00:00:00Z${req}`;
    case 'malformed':
      return `symtail: until=later${req}`;
  }
}

function renderInlineArray(g: GroupSpec): string {
  const sp = g.spaced ? ' ' : '';
  const items = g.members.map((m, i) => {
    const a = annotation(m, i);
    return `${JSON.stringify(m.login)}${a ? ` /* ${a} */` : ''}${m.sameLineComment ? ' /* own */' : ''}`;
  });
  const open = g.commentAfterOpen ? `[/* ${KEEP} */${sp}` : `[${sp}`;
  return `${open}${items.join(`,${sp || ' '}`)}${g.trailingComma && items.length > 0 ? ',' : ''}${sp}]`;
}

function renderMultiLineArray(g: GroupSpec, spec: PolicySpec, depth: number): string {
  const { eol } = spec;
  const indent = spec.unit.repeat(depth + 1);
  const n = g.members.length;
  const closeOnLastLine = g.closeOnLastLine && n > 0;
  const lines = g.members.map((m, i) => {
    const a = annotation(m, i);
    const comma = i < n - 1 || g.trailingComma ? ',' : '';
    const json = JSON.stringify(m.login);
    // A line comment would swallow a bracket that follows on the same line.
    const lineComment = m.lineAnnotation && !(closeOnLastLine && i === n - 1);
    let line = !a ? `${json}${comma}` : lineComment ? `${json}${comma} // ${a}` : `${json} /* ${a} */${comma}`;
    if (m.sameLineComment && !(a && lineComment)) line += ' /* own */';
    const end = closeOnLastLine && i === n - 1 ? '' : eol;
    return `${m.commentLineBefore ? `${indent}// ${KEEP}${eol}` : ''}${indent}${line}${end}`;
  });
  const open = g.commentAfterOpen ? `[ // ${KEEP}${eol}` : `[${eol}`;
  if (closeOnLastLine) return `${open}${lines.join('')}]`;
  const beforeClose = g.commentLineBeforeClose ? `${indent}// ${KEEP}${eol}` : '';
  return `${open}${lines.join('')}${beforeClose}${spec.unit.repeat(depth)}]`;
}

export function renderPolicy(spec: PolicySpec): string {
  const { eol, unit } = spec;
  const top = spec.leadingComment ? `// ${KEEP}: generated policy${eol}` : '';
  const acls = `"acls": [{"action": "accept", "src": ["group:g0"], "dst": ["*:*"]}]`;
  let groups: string;
  if (spec.groupsOneLine) {
    const entries = spec.groups.map((g, i) => `"group:${groupName(i)}": ${renderInlineArray(g)}`);
    groups = `{${entries.join(', ')}}`;
  } else {
    const entries = spec.groups.map((g, i) => {
      const comma = i < spec.groups.length - 1 || spec.groupsTrailingComma ? ',' : '';
      const array = g.multiLine ? renderMultiLineArray(g, spec, 2) : renderInlineArray(g);
      const before = g.commentLineBefore ? `${unit.repeat(2)}// ${KEEP}${eol}` : '';
      return `${before}${unit.repeat(2)}"group:${groupName(i)}": ${array}${comma}${eol}`;
    });
    groups = `{${eol}${entries.join('')}${unit}}`;
  }
  return `${top}{${eol}${unit}"groups": ${groups},${eol}${unit}${acls}${spec.rootTrailingComma ? ',' : ''}${eol}}${eol}`;
}

/** The groups as plain data, members in order; `drop` says which members a change removes. */
export function expectedGroups(spec: PolicySpec, drop: (m: MemberSpec, group: number) => boolean): Record<string, string[]> {
  return Object.fromEntries(
    spec.groups.map((g, i) => [`group:${groupName(i)}`, g.members.filter((m) => !drop(m, i)).map((m) => m.login)]),
  );
}
