import { seededRandom } from './seeded-random';

export interface GeneratedPolicy {
  readonly text: string;
  /** Bare name of a multi-line group in the middle of `groups`: the one a benchmark edit should hit. */
  readonly editGroup: string;
  readonly teams: number;
}

const MIN_BYTES = 1024;
const MAX_BYTES = 64 * 1024 * 1024;
/** No team adds fewer bytes than this, which bounds the generation loop. */
const MIN_TEAM_BYTES = 200;
const ROLES = ['payments', 'search', 'infra', 'data', 'mobile', 'web', 'security', 'ml', 'billing', 'équipe-support'];
const USERS = ['ssh', 'root', 'ubuntu', 'ec2-user', 'deploy'];

/** The five sections a team contributes to, kept apart while generating and joined at the end. */
interface Sections {
  groups: string[];
  tagOwners: string[];
  hosts: string[];
  acls: string[];
  ssh: string[];
}

/**
 * A realistic tailnet policy file of about `targetBytes` (never less, at most one team more): teams, each with a
 * group (one-line or multi-line, members with comments and symtail grant annotations), a tag owned by that group,
 * a host alias, an ACL rule and an SSH rule, with comments throughout, tabs, and trailing commas. Deterministic.
 */
export function generatePolicy(targetBytes: number, seed = 1): GeneratedPolicy {
  if (!Number.isInteger(targetBytes) || targetBytes < MIN_BYTES || targetBytes > MAX_BYTES) {
    throw new Error(`generatePolicy targetBytes: expected a whole number from ${MIN_BYTES} to ${MAX_BYTES}, got ${targetBytes}`);
  }
  if (!Number.isInteger(seed)) throw new Error(`generatePolicy seed: expected a whole number, got ${seed}`);
  const random = seededRandom(seed);
  const sections: Sections = { groups: [], tagOwners: [], hosts: [], acls: [], ssh: [] };
  let bytes = Buffer.byteLength(assemble(sections));
  let teams = 0;
  const maxTeams = Math.ceil(targetBytes / MIN_TEAM_BYTES);
  while (bytes < targetBytes && teams < maxTeams) {
    bytes += addTeam(sections, teams, random);
    teams++;
  }
  return { text: assemble(sections), editGroup: teamName(editedTeam(teams)), teams };
}

/** The middle team, moved to a neighbour when the middle one writes its group on one line. */
function editedTeam(teams: number): number {
  const middle = Math.floor(teams / 2);
  return isOneLine(middle) ? middle - 1 : middle;
}

const isOneLine = (team: number) => team % 4 === 3;
const pad = (n: number) => String(n).padStart(5, '0');
const teamName = (team: number) => `team-${pad(team)}`;

/** Appends one team to every section; returns the bytes it added. */
function addTeam(sections: Sections, team: number, random: () => number): number {
  const name = teamName(team);
  const role = ROLES[team % ROLES.length];
  const pick = (n: number) => Math.floor(random() * n);
  const members = Array.from({ length: 2 + pick(10) }, (_, i) => member(team, i, pick));
  const added = {
    groups: isOneLine(team)
      ? [`\t\t"group:${name}": [${members.map((m) => m.login).join(', ')}],`]
      : [
          ...(team % 3 === 0 ? [`\t\t// ${role}: people who run ${name}'s services`] : []),
          `\t\t"group:${name}": [`,
          ...members.map((m) => `\t\t\t${m.login},${m.comment ? ` ${m.comment}` : ''}`),
          `\t\t],`,
        ],
    tagOwners: [`\t\t"tag:svc-${pad(team)}": ["group:${name}"],`],
    hosts: [`\t\t"db-${pad(team)}": "100.${64 + (team >> 16)}.${(team >> 8) & 255}.${team & 255}",`],
    acls: [
      `\t\t// ${name} (${role}) reaches its services and its database`,
      `\t\t{"action": "accept", "src": ["group:${name}"], "dst": ["tag:svc-${pad(team)}:443,8443", "db-${pad(team)}:5432"]},`,
    ],
    ssh: [
      `\t\t{`,
      `\t\t\t"action": "${team % 2 === 0 ? 'check' : 'accept'}",`,
      `\t\t\t"src":    ["group:${name}"],`,
      `\t\t\t"dst":    ["tag:svc-${pad(team)}"],`,
      `\t\t\t"users":  ["${USERS[pick(USERS.length)]}", "${USERS[pick(USERS.length)]}"],`,
      `\t\t},`,
    ],
  };
  let bytes = 0;
  for (const key of Object.keys(added) as (keyof Sections)[]) {
    sections[key].push(...added[key]);
    bytes += added[key].reduce((sum, line) => sum + Buffer.byteLength(line) + 1, 0);
  }
  return bytes;
}

function member(team: number, index: number, pick: (n: number) => number): { login: string; comment?: string } {
  const login = JSON.stringify(index === 0 && team % 5 === 0 ? `dev${team}@github` : `user${team}.${index}@example.com`);
  switch (pick(6)) {
    case 0:
      return { login, comment: '// on call this quarter' };
    case 1: {
      const day = String(1 + pick(28)).padStart(2, '0');
      return { login, comment: `// symtail: until=2026-12-${day}T18:00:00Z req=r-${team}-${index}` };
    }
    default:
      return { login };
  }
}

function assemble(s: Sections): string {
  const section = (name: string, comment: string, open: string, lines: string[], close: string) => [
    `\t// ${comment}`,
    `\t"${name}": ${open}`,
    ...lines,
    `\t${close},`,
  ];
  return [
    '// Tailnet policy file of a large organisation.',
    '// Groups are edited by symtail for just-in-time access; everything else by hand, through review.',
    '{',
    ...section('groups', 'People, by team.', '{', s.groups, '}'),
    ...section('tagOwners', 'Each team owns the tag of its services.', '{', s.tagOwners, '}'),
    ...section('hosts', 'Databases, by address.', '{', s.hosts, '}'),
    ...section('acls', 'Who reaches what.', '[', s.acls, ']'),
    ...section('ssh', 'Tailscale SSH: check mode for production teams.', '[', s.ssh, ']'),
    '}',
    '',
  ].join('\n');
}
