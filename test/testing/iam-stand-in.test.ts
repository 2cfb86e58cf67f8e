import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { GetRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { IamStandIn, IDENTITY_CENTER_PATH, identityCenterArn, identityCenterRoleOf } from '../../lib/testing';

/** The IAM API Reference's GetRole example, request and response, as data. */
const EXAMPLE = JSON.parse(readFileSync(path.join(__dirname, 'fixtures/iam-get-role-example.json'), 'utf8')) as {
  request: Record<string, string>;
  response: { status: number; contentType: string; body: string };
  role: { Path: string; Arn: string; RoleName: string };
};

const clientFor = (endpoint: string) =>
  new IAMClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'example' } });

/** What the real SDK makes of the IAM API Reference's sample answer, served as IAM would, and the form it sent. */
async function sdkReadingTheExample(): Promise<{ role: unknown; form: Record<string, string> }> {
  let form: Record<string, string> = {};
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      form = Object.fromEntries(new URLSearchParams(body));
      res.writeHead(EXAMPLE.response.status, { 'Content-Type': EXAMPLE.response.contentType }).end(EXAMPLE.response.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const out = await clientFor(`http://127.0.0.1:${(server.address() as AddressInfo).port}`).send(new GetRoleCommand({ RoleName: EXAMPLE.request.RoleName }));
    return { role: out.Role, form };
  } finally {
    server.close();
  }
}

let iam: IamStandIn;
beforeAll(async () => {
  iam = await IamStandIn.start({
    account: '123456789012',
    roles: [
      { name: 'S3Access', path: '/application_abc/component_xyz/' },
      { name: 'AWSReservedSSO_Engineers_0123456789abcdef', path: IDENTITY_CENTER_PATH },
    ],
  });
});
afterAll(() => iam.stop());

test("the SDK sends GetRole as the IAM API Reference's example request, and reads the stand-in's answer as it reads the reference's", async () => {
  const reference = await sdkReadingTheExample();
  expect(reference.form).toEqual(EXAMPLE.request);
  expect(reference.role).toMatchObject(EXAMPLE.role);
  const { Role } = await clientFor(iam.url).send(new GetRoleCommand({ RoleName: 'S3Access' }));
  const fields = (role: unknown) => {
    const { Path, Arn, RoleName, CreateDate } = role as { Path: string; Arn: string; RoleName: string; CreateDate: unknown };
    return { Path, Arn, RoleName, createDateIsADate: CreateDate instanceof Date };
  };
  expect(fields(Role)).toEqual(fields(reference.role));
});

test("a role the stand-in does not hold is IAM's NoSuchEntity (404), as the SDK names it", async () => {
  await expect(clientFor(iam.url).send(new GetRoleCommand({ RoleName: 'Nobody' }))).rejects.toMatchObject({
    name: 'NoSuchEntityException',
    message: 'The role with name Nobody cannot be found.',
    $metadata: { httpStatusCode: 404 },
  });
});

test('with a readable path prefix, a role outside it is AccessDenied (403), as IAM answers a caller allowed GetRole on that path only', async () => {
  const guarded = await IamStandIn.start({
    readablePathPrefix: IDENTITY_CENTER_PATH,
    roles: [{ name: 'AWSReservedSSO_Anything_0123456789abcdef', path: '/' }],
  });
  try {
    await expect(clientFor(guarded.url).send(new GetRoleCommand({ RoleName: 'AWSReservedSSO_Anything_0123456789abcdef' }))).rejects.toMatchObject({
      name: 'AccessDenied',
      $metadata: { httpStatusCode: 403 },
    });
    expect(guarded.calls).toEqual(['AWSReservedSSO_Anything_0123456789abcdef']);
  } finally {
    await guarded.stop();
  }
});

test('every GetRole is counted by role name, and anything but GetRole is refused', async () => {
  const before = iam.calls.length;
  await clientFor(iam.url).send(new GetRoleCommand({ RoleName: 'AWSReservedSSO_Engineers_0123456789abcdef' }));
  expect(iam.calls.slice(before)).toEqual(['AWSReservedSSO_Engineers_0123456789abcdef']);
  const listed = await fetch(iam.url, { method: 'POST', body: 'Action=ListRoles&Version=2010-05-08' });
  expect([listed.status, await listed.text()]).toEqual([400, expect.stringContaining('<Code>InvalidAction</Code>')]);
});

test('forCallers holds the Identity Center role of each Identity Center caller, under its path, and nothing for other callers', async () => {
  const callers = [identityCenterArn('alice@example.com'), identityCenterArn('bob@example.com', '444455556666', 'Admins'), 'arn:aws:iam::111122223333:user/ci'];
  expect(callers.map(identityCenterRoleOf)).toEqual([
    { name: 'AWSReservedSSO_Engineers_0123456789abcdef', path: '/aws-reserved/sso.amazonaws.com/', account: '111122223333' },
    { name: 'AWSReservedSSO_Admins_0123456789abcdef', path: '/aws-reserved/sso.amazonaws.com/', account: '444455556666' },
    undefined,
  ]);
  const held = await IamStandIn.forCallers(callers);
  try {
    const { Role } = await clientFor(held.url).send(new GetRoleCommand({ RoleName: 'AWSReservedSSO_Admins_0123456789abcdef' }));
    expect(Role).toMatchObject({
      Path: '/aws-reserved/sso.amazonaws.com/',
      Arn: 'arn:aws:iam::444455556666:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admins_0123456789abcdef',
    });
  } finally {
    await held.stop();
  }
});
