import { randomUUID } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { readBody, send } from './http-io';

/** A role the stand-in holds, as IAM would describe it. */
export interface StandInRole {
  readonly name: string;
  /** `/` for a role made without one; `/aws-reserved/sso.amazonaws.com/` for Identity Center's. */
  readonly path: string;
  /** Default: the stand-in's account. */
  readonly account?: string;
}

export interface IamStandInOptions {
  readonly roles?: readonly StandInRole[];
  /**
   * Answer `AccessDenied` for a held role whose path does not start with this, as IAM answers a caller allowed
   * `iam:GetRole` only on `role<prefix>*` (the runtime's policy). Default: every held role is shown.
   */
  readonly readablePathPrefix?: string;
  /** The account of the roles and of the caller in `AccessDenied` messages. Default: `111122223333`. */
  readonly account?: string;
}

/** Where IAM Identity Center makes the roles of its permission sets (in us-east-1; elsewhere the region follows). */
export const IDENTITY_CENTER_PATH = '/aws-reserved/sso.amazonaws.com/';
const ASSUMED_ROLE = /^arn:aws[a-z-]*:sts::(\d{12}):assumed-role\/([^/]+)\/[^/]+$/;

/**
 * The role behind an Identity Center session (`assumed-role/AWSReservedSSO_<set>_<hash>/<email>`), as Identity Center
 * makes it: under its reserved path. Undefined for any other caller.
 */
export function identityCenterRoleOf(callerArn: string): StandInRole | undefined {
  const m = ASSUMED_ROLE.exec(callerArn);
  return m === null || !m[2].startsWith('AWSReservedSSO_') ? undefined : { name: m[2], path: IDENTITY_CENTER_PATH, account: m[1] };
}

/** The namespace of every IAM Query answer. */
const XMLNS = 'https://iam.amazonaws.com/doc/2010-05-08/';
const MAX_BODY = 64 * 1024;

const escapeXml = (text: string) => text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * A local stand-in for IAM's `GetRole`, for the AWS SDK pointed here with `AWS_ENDPOINT_URL_IAM`: the Query protocol
 * as the SDK sends it (`POST /`, form body `Action=GetRole&RoleName=…&Version=2010-05-08`), answered with IAM's
 * `GetRoleResponse` XML for a role it holds, `NoSuchEntity` (404) for one it does not, and `AccessDenied` (403) for a
 * role outside `readablePathPrefix`. Counts the calls, by role name.
 */
export class IamStandIn {
  /** The role name of each GetRole call, in order. */
  readonly calls: string[] = [];
  private readonly roles = new Map<string, StandInRole>();
  private origin = '';

  private constructor(
    private readonly server: Server,
    private readonly options: IamStandInOptions,
  ) {
    for (const role of options.roles ?? []) this.addRole(role);
  }

  static async start(options: IamStandInOptions = {}): Promise<IamStandIn> {
    let standIn!: IamStandIn;
    const server = createServer((req, res) => void standIn.handle(req, res));
    standIn = new IamStandIn(server, options);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    standIn.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return standIn;
  }

  /** A stand-in holding the Identity Center roles of `callerArns` (other callers have none): the roles a test's callers act through. */
  static forCallers(callerArns: readonly string[], options: Omit<IamStandInOptions, 'roles'> = {}): Promise<IamStandIn> {
    return IamStandIn.start({ ...options, roles: callerArns.map(identityCenterRoleOf).filter((r): r is StandInRole => r !== undefined) });
  }

  get url(): string {
    return this.origin;
  }

  /** What an AWS SDK `IAMClient` needs to ask this stand-in (any credentials sign; the stand-in does not check them). */
  get clientConfig(): { endpoint: string; region: string; credentials: { accessKeyId: string; secretAccessKey: string } } {
    return { endpoint: this.origin, region: 'us-east-1', credentials: { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'example' } };
  }

  /** Holds `role` from now on (replacing one of the same name). */
  addRole(role: StandInRole): this {
    this.roles.set(role.name, role);
    return this;
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private get account(): string {
    return this.options.account ?? '111122223333';
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const read = await readBody(req, MAX_BODY);
    const form = new URLSearchParams(read.kind === 'text' ? read.text : '');
    if (req.method !== 'POST' || form.get('Action') !== 'GetRole' || form.get('Version') !== '2010-05-08') {
      return this.error(res, 400, 'Sender', 'InvalidAction', `Could not find operation ${form.get('Action') ?? ''} for version ${form.get('Version') ?? ''}`);
    }
    const name = form.get('RoleName') ?? '';
    this.calls.push(name);
    if (!/^[\w+=,.@-]{1,64}$/.test(name)) {
      return this.error(
        res,
        400,
        'Sender',
        'ValidationError',
        `1 validation error detected: Value '${name}' at 'roleName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+`,
      );
    }
    const role = this.roles.get(name);
    if (role === undefined) return this.error(res, 404, 'Sender', 'NoSuchEntity', `The role with name ${name} cannot be found.`);
    const arn = `arn:aws:iam::${role.account ?? this.account}:role${role.path}${role.name}`;
    const prefix = this.options.readablePathPrefix;
    if (prefix !== undefined && !role.path.startsWith(prefix)) {
      return this.error(
        res,
        403,
        'Sender',
        'AccessDenied',
        `User: arn:aws:sts::${this.account}:assumed-role/symtail-runtime/symtail-runtime is not authorized to perform: iam:GetRole on resource: role ${name} because no identity-based policy allows the iam:GetRole action`,
      );
    }
    const trust = encodeURIComponent(
      JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { Federated: `arn:aws:iam::${this.account}:saml-provider/AWSSSO_0123456789abcdef_DO_NOT_DELETE` },
            Action: ['sts:AssumeRoleWithSAML', 'sts:TagSession'],
          },
        ],
      }),
    );
    this.answer(
      res,
      200,
      `<GetRoleResponse xmlns="${XMLNS}"><GetRoleResult><Role>` +
        `<Path>${escapeXml(role.path)}</Path><Arn>${escapeXml(arn)}</Arn><RoleName>${escapeXml(role.name)}</RoleName>` +
        `<AssumeRolePolicyDocument>${trust}</AssumeRolePolicyDocument><CreateDate>2026-01-05T09:30:00Z</CreateDate>` +
        `<RoleId>AROA${Buffer.from(name).toString('hex').slice(0, 17).toUpperCase().padEnd(17, 'X')}</RoleId><MaxSessionDuration>3600</MaxSessionDuration>` +
        `</Role></GetRoleResult><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></GetRoleResponse>`,
    );
  }

  private error(res: ServerResponse, status: number, type: string, code: string, message: string): void {
    this.answer(
      res,
      status,
      `<ErrorResponse xmlns="${XMLNS}"><Error><Type>${type}</Type><Code>${code}</Code><Message>${escapeXml(message)}</Message></Error>` +
        `<RequestId>${randomUUID()}</RequestId></ErrorResponse>`,
    );
  }

  private answer(res: ServerResponse, status: number, xml: string): void {
    send(res, status, xml, { 'Content-Type': 'text/xml' });
  }
}
