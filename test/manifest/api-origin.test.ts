import fc from 'fast-check';
import { API_ORIGIN_PATTERN } from '../../lib/manifest';
import { TailscaleClient } from '../../lib/tailscale';

const origin = new RegExp(API_ORIGIN_PATTERN);
// fast-check cannot generate from lookaheads: generate without them, keep what the real pattern accepts.
const candidates = fc.stringMatching(new RegExp(API_ORIGIN_PATTERN.replace(/\(\?!\[Xx\]\[Nn\]--\)/g, ''))).filter((u) => origin.test(u));
const client = (apiBaseUrl: string) => new TailscaleClient({ credential: { kind: 'apiKey', apiKey: 'k' }, apiBaseUrl });

test('every origin the manifest accepts, the API client accepts too', () => {
  fc.assert(
    fc.property(candidates, (url) => {
      expect(() => client(url)).not.toThrow();
    }),
    { numRuns: 2000, seed: 42 },
  );
});

test.each([
  'https://api.tailscale.com',
  'http://127.0.0.1:8088',
  'http://localhost:65535',
  'http://[::1]:41234',
  'https://tailscale-api.internal.example.com',
  'http://127.10.0.3',
  'https://10.0.0.1:8443',
])('accepts %s', (url) => {
  expect(origin.test(url)).toBe(true);
});

test.each([
  ['a user name and password', 'https://ops:tskey-api-SECRET@api.tailscale.com'],
  ['a user name', 'https://ops@api.tailscale.com'],
  ['a port above 65535', 'https://api.tailscale.com:99999'],
  ['port zero', 'https://api.tailscale.com:0'],
  ['an unclosed IPv6 bracket', 'http://[::1'],
  ['a path', 'https://api.tailscale.com/api/v2'],
  ['a trailing slash', 'https://api.tailscale.com/'],
  ['a query', 'https://api.tailscale.com?x=1'],
  ['an empty label', 'https://api..tailscale.com'],
  ['another scheme', 'ftp://api.tailscale.com'],
  ['whitespace', 'https://api.tailscale.com '],
  ['a numeric last label, which URL parsers read as IPv4', 'http://a.0'],
  ['a punycode label', 'https://XN--0.A'],
  ['cleartext to a public host', 'http://api.tailscale.com'],
  ['cleartext to a private address', 'http://10.0.0.1:8080'],
  ['cleartext to a name that starts like localhost', 'http://localhost.attacker.example'],
  ['cleartext to an address that starts like loopback', 'http://127.0.0.1.attacker.example'],
])('refuses an origin with %s', (_name, url) => {
  expect(origin.test(url)).toBe(false);
});

test('every cleartext origin the manifest accepts is loopback', () => {
  fc.assert(
    fc.property(
      candidates.filter((u) => u.startsWith('http:')),
      (url) => {
        expect(['localhost', '[::1]'].includes(new URL(url).hostname) || new URL(url).hostname.startsWith('127.')).toBe(true);
      },
    ),
    { numRuns: 500, seed: 42 },
  );
});
