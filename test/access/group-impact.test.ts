import { groupImpact, readAccessPolicy } from '../../lib/access';

/** A policy file from lines, so each case can say exactly which line holds what. */
const policy = (...lines: string[]) => lines.join('\n');

describe('groupImpact: what joining a group grants, each item with its line', () => {
  it.each([
    [
      'an acls rule naming the group, a port list and a range',
      policy(
        '{',
        '  "groups": {"group:eng": []},',
        '  "acls": [',
        '    {"action": "accept", "src": ["group:eng"], "dst": ["tag:web:80,443", "tag:db:5432-5433"]},',
        '    {"action": "accept", "src": ["group:ops"], "dst": ["tag:ops:*"]},',
        '  ],',
        '}',
      ),
      {
        rules: [
          {
            section: 'acls',
            line: 4,
            via: 'group:eng',
            destinations: [
              { entry: 'tag:web:80,443', host: 'tag:web', ports: '80,443' },
              { entry: 'tag:db:5432-5433', host: 'tag:db', ports: '5432-5433' },
            ],
            postures: [],
          },
        ],
        dangers: [],
      },
    ],
    [
      'autogroup:member and * reach every group, marked as such; proto and the legacy users/ports fields',
      policy(
        '{',
        '  "acls": [',
        '    {"action": "accept", "src": ["autogroup:member"], "proto": "udp", "dst": ["tag:dns:53"]},',
        '    {',
        '      "action": "accept",',
        '      "users": ["*"],',
        '      "ports": ["tag:status:8080"],',
        '    },',
        '    {"action": "accept", "src": ["autogroup:admin", "alice@example.com"], "dst": ["*:*"]},',
        '  ],',
        '}',
      ),
      {
        rules: [
          {
            section: 'acls',
            line: 3,
            via: 'autogroup:member',
            destinations: [{ entry: 'tag:dns:53', host: 'tag:dns', ports: '53' }],
            protocol: 'udp',
            postures: [],
          },
          { section: 'acls', line: 4, via: '*', destinations: [{ entry: 'tag:status:8080', host: 'tag:status', ports: '8080' }], postures: [] },
        ],
        dangers: [],
      },
    ],
    [
      'hosts aliases resolved, an alias naming an alias followed to its address',
      policy(
        '{',
        '  "hosts": {',
        '    "db-primary": "100.64.0.5",',
        '    "db": "db-primary",',
        '    "office": "192.168.0.0/24",',
        '  },',
        '  "acls": [{"action": "accept", "src": ["group:eng"], "dst": ["db:5432", "office:*", "tag:x:22"]}],',
        '  "grants": [{"src": ["group:eng"], "dst": ["office"], "ip": ["icmp:*"]}],',
        '}',
      ),
      {
        rules: [
          {
            section: 'acls',
            line: 7,
            via: 'group:eng',
            destinations: [
              { entry: 'db:5432', host: 'db', ports: '5432', address: '100.64.0.5' },
              { entry: 'office:*', host: 'office', ports: '*', address: '192.168.0.0/24' },
              { entry: 'tag:x:22', host: 'tag:x', ports: '22' },
            ],
            postures: [],
          },
          {
            section: 'grants',
            line: 8,
            via: 'group:eng',
            destinations: [{ host: 'office', address: '192.168.0.0/24' }],
            ip: ['icmp:*'],
            app: [],
            postures: [],
            routers: [],
          },
        ],
        dangers: [],
      },
    ],
    [
      'grants with ip and app, a router via, and the postures they require',
      policy(
        '{',
        '  "postures": {',
        '    "posture:latest": ["node:tsReleaseTrack == \'stable\'"],',
        '    "posture:unused": ["node:os == \'linux\'"],',
        '  },',
        '  "grants": [',
        '    {',
        '      "src": ["group:eng"],',
        '      "dst": ["tag:k8s"],',
        '      "ip": ["tcp:443", "8080-8090"],',
        '      "app": {"tailscale.com/cap/kubernetes": [{"impersonate": {"groups": ["system:masters"]}}]},',
        '      "srcPosture": ["posture:latest"],',
        '      "via": ["tag:router"],',
        '    },',
        '    {"src": ["group:eng"], "dst": ["tag:idp"], "app": {"tailscale.com/cap/tsidp": [{}]}},',
        '  ],',
        '}',
      ),
      {
        rules: [
          { section: 'postures', line: 3, via: 'group:eng', posture: 'posture:latest', conditions: ["node:tsReleaseTrack == 'stable'"], requiredBy: [7] },
          {
            section: 'grants',
            line: 7,
            via: 'group:eng',
            destinations: [{ host: 'tag:k8s' }],
            ip: ['tcp:443', '8080-8090'],
            app: ['tailscale.com/cap/kubernetes'],
            postures: ['posture:latest'],
            routers: ['tag:router'],
          },
          {
            section: 'grants',
            line: 15,
            via: 'group:eng',
            destinations: [{ host: 'tag:idp' }],
            ip: [],
            app: ['tailscale.com/cap/tsidp'],
            postures: [],
            routers: [],
          },
        ],
        dangers: [],
      },
    ],
    [
      'ssh rules: accept as a user, check with its period, root behind check',
      policy(
        '{',
        '  "ssh": [',
        '    {"action": "accept", "src": ["group:eng"], "dst": ["tag:prod"], "users": ["ec2-user"]},',
        '    {"action": "check", "src": ["group:eng"], "dst": ["autogroup:self"], "users": ["root", "autogroup:nonroot"], "checkPeriod": "12h"},',
        '    {"action": "accept", "src": ["group:other"], "dst": ["tag:prod"], "users": ["root"]},',
        '  ],',
        '}',
      ),
      {
        rules: [
          { section: 'ssh', line: 3, via: 'group:eng', action: 'accept', destinations: [{ host: 'tag:prod' }], users: ['ec2-user'], root: false, postures: [] },
          {
            section: 'ssh',
            line: 4,
            via: 'group:eng',
            action: 'check',
            checkPeriod: '12h',
            destinations: [{ host: 'autogroup:self' }],
            users: ['root', 'autogroup:nonroot'],
            root: true,
            postures: [],
          },
        ],
        dangers: [],
      },
    ],
    [
      'tests and sshTests that name the group, as source or destination',
      policy(
        '{',
        '  "tests": [',
        '    {"src": "group:eng", "accept": ["tag:web:443"], "deny": ["tag:db:5432"]},',
        '    {"src": "alice@example.com", "accept": ["group:eng:22"]},',
        '    {"src": "bob@example.com", "accept": ["tag:web:443"]},',
        '  ],',
        '  "sshTests": [',
        '    {"src": "group:eng", "dst": ["tag:prod"], "accept": ["ec2-user"], "check": ["root"], "deny": ["admin"]},',
        '  ],',
        '}',
      ),
      {
        rules: [
          { section: 'tests', line: 3, via: 'group:eng', src: 'group:eng', accept: ['tag:web:443'], deny: ['tag:db:5432'] },
          { section: 'tests', line: 4, via: 'group:eng', src: 'alice@example.com', accept: ['group:eng:22'], deny: [] },
          {
            section: 'sshTests',
            line: 8,
            via: 'group:eng',
            src: 'group:eng',
            destinations: ['tag:prod'],
            accept: ['ec2-user'],
            check: ['root'],
            deny: ['admin'],
          },
        ],
        dangers: [],
      },
    ],
  ])('%s', (_name, text, expected) => {
    expect(groupImpact(readAccessPolicy(text), 'group:eng')).toEqual({ group: 'group:eng', ...expected });
  });
});

describe('groupImpact: dangers, each with the line that causes it', () => {
  it.each([
    [
      'tag-owner: the group may tag a device, on the line of the tagOwners key',
      policy('{', '  "tagOwners": {', '    "tag:ci": ["autogroup:admin"],', '    "tag:prod": ["group:eng"],', '  },', '}'),
      [{ section: 'tagOwners', line: 4, via: 'group:eng', tag: 'tag:prod' }],
      [
        {
          kind: 'tag-owner',
          line: 4,
          message: "group:eng may apply tag:prod: a device a member tags keeps tag:prod's access after the membership ends",
        },
      ],
    ],
    [
      'auto-approver: routes and exit nodes, on the lines of their keys',
      policy(
        '{',
        '  "autoApprovers": {',
        '    "routes": {',
        '      "10.0.0.0/8": ["group:eng"],',
        '      "192.168.0.0/16": ["group:ops"],',
        '    },',
        '    "exitNode": ["autogroup:member"],',
        '  },',
        '}',
      ),
      [
        { section: 'autoApprovers', line: 4, via: 'group:eng', approves: 'route', route: '10.0.0.0/8' },
        { section: 'autoApprovers', line: 7, via: 'autogroup:member', approves: 'exitNode' },
      ],
      [
        {
          kind: 'auto-approver',
          line: 4,
          message: 'routes to 10.0.0.0/8 advertised by a device of group:eng are approved automatically and stay after the membership ends',
        },
        {
          kind: 'auto-approver',
          line: 7,
          message: 'exit nodes advertised by a device of group:eng (through autogroup:member) are approved automatically and stay after the membership ends',
        },
      ],
    ],
    [
      'root-ssh: an accept rule with root, and not one with check',
      policy(
        '{',
        '  "ssh": [',
        '    {',
        '      "action": "accept",',
        '      "src": ["group:eng"],',
        '      "dst": ["tag:prod", "tag:db"],',
        '      "users": ["autogroup:nonroot", "root"],',
        '    },',
        '    {"action": "check", "src": ["group:eng"], "dst": ["tag:prod"], "users": ["root"]},',
        '  ],',
        '}',
      ),
      [
        {
          section: 'ssh',
          line: 3,
          via: 'group:eng',
          action: 'accept',
          destinations: [{ host: 'tag:prod' }, { host: 'tag:db' }],
          users: ['autogroup:nonroot', 'root'],
          root: true,
          postures: [],
        },
        { section: 'ssh', line: 9, via: 'group:eng', action: 'check', destinations: [{ host: 'tag:prod' }], users: ['root'], root: true, postures: [] },
      ],
      [{ kind: 'root-ssh', line: 3, message: 'group:eng may ssh as root to tag:prod, tag:db without check' }],
    ],
    [
      'all-destinations: * in acls and in grants, through * itself',
      policy(
        '{',
        '  "acls": [{"action": "accept", "src": ["*"], "dst": ["*:*"]}],',
        '  "grants": [{"src": ["group:eng"], "dst": ["*"], "ip": ["tcp:22"]}],',
        '}',
      ),
      [
        { section: 'acls', line: 2, via: '*', destinations: [{ entry: '*:*', host: '*', ports: '*' }], postures: [] },
        { section: 'grants', line: 3, via: 'group:eng', destinations: [{ host: '*' }], ip: ['tcp:22'], app: [], postures: [], routers: [] },
      ],
      [
        { kind: 'all-destinations', line: 2, message: 'group:eng (through *) reaches every destination (*:*)' },
        { kind: 'all-destinations', line: 3, message: 'group:eng reaches every destination (* with tcp:22)' },
      ],
    ],
    [
      'all-destinations: an acls destination written without ports reads as every port',
      policy('{', '  "acls": [{"action": "accept", "src": ["group:eng"], "dst": ["*", "tag:web"]}],', '}'),
      [
        {
          section: 'acls',
          line: 2,
          via: 'group:eng',
          destinations: [
            { entry: '*', host: '*', ports: '*' },
            { entry: 'tag:web', host: 'tag:web', ports: '*' },
          ],
          postures: [],
        },
      ],
      [{ kind: 'all-destinations', line: 2, message: 'group:eng reaches every destination (*)' }],
    ],
  ])('%s', (_name, text, rules, dangers) => {
    expect(groupImpact(readAccessPolicy(text), 'group:eng')).toEqual({ group: 'group:eng', rules, dangers });
  });
});

describe('readAccessPolicy refuses what it would misread, naming the field and line', () => {
  it.each([
    ['acls not an array', '{\n"acls": {}\n}', 'acls (line 2): expected an array'],
    ['an acls src that is a string', '{"acls": [\n{"action": "accept", "src": "group:eng", "dst": ["*:*"]}]}', 'acls[0].src (line 2): expected an array'],
    ['a dst with mistyped ports', '{"acls": [{"action": "accept", "src": ["*"],\n"dst": ["tag:web:https"]}]}', 'acls[0].dst[0] (line 2): expected host:ports'],
    ['an acls action other than accept', '{"acls": [{"action": "deny", "src": ["*"], "dst": ["*:*"]}]}', 'acls[0].action (line 1): expected "accept"'],
    ['a grant without dst', '{"grants": [\n\n{"src": ["*"], "ip": ["*"]}]}', 'grants[0] (line 3): expected a "dst" member'],
    ['a grant ip that is not a port', '{"grants": [{"src": ["*"], "dst": ["*"], "ip": ["tcp:https"]}]}', 'grants[0].ip[0] (line 1): expected "*", ports'],
    [
      'an ssh action other than accept or check',
      '{"ssh": [{"action": "allow", "src": ["*"], "dst": ["tag:x"]}]}',
      'ssh[0].action (line 1): expected "accept" or "check"',
    ],
    ['tagOwners with a string', '{"tagOwners": {\n"tag:x": "group:eng"}}', 'tagOwners["tag:x"] (line 2): expected an array'],
    ['a test without src', '{"tests": [{"accept": ["tag:x:1"]}]}', 'tests[0] (line 1): expected a "src" member'],
  ])('%s', (_name, text, message) => {
    expect(() => readAccessPolicy(text)).toThrow(expect.objectContaining({ code: 'policy-invalid', message: expect.stringContaining(message) }));
  });

  it('refuses text that is not HuJSON with its position', () => {
    expect(() => readAccessPolicy('{\n  "acls": [,]\n}')).toThrow(
      expect.objectContaining({ code: 'policy-unparseable', message: expect.stringContaining('line 2') }),
    );
  });
});
