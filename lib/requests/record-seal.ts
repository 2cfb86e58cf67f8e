import { createHash, timingSafeEqual } from 'node:crypto';
import { AccessRequest } from './model';

/** Names the canonical form below, so a MAC made over another form (or another kind of record) never verifies here. */
export const RECORD_FORMAT = 'symtail.request/1';

/**
 * A key that computes and checks HMAC-SHA-256 MACs without handing out its secret: a KMS HMAC key in the runtime,
 * a local key in tests.
 */
export interface MacKey {
  /** The MAC of `message` (32 bytes). */
  generateMac(message: Uint8Array): Promise<Uint8Array>;
  /** Whether `mac` is the MAC of `message`: false when it is not, an error when the key cannot be used. */
  verifyMac(message: Uint8Array, mac: Uint8Array): Promise<boolean>;
}

/** Thrown (and caught by {@link RecordSeal.verify}) for a record that lacks a field the canonical form needs. */
class MalformedRecord extends Error {}

const MAC_BYTES = 32;
/** Canonical forms this container sealed or verified, remembered so its own records are not sent to KMS again. */
const KNOWN_LIMIT = 1000;

/**
 * The canonical form of what authorizes a grant: a fixed list of fields, nothing else, as JSON with every object's
 * keys sorted and no white space. The request's reason, history, creation time, chat message and the reminders
 * the sweep took on are left out: changing them grants nothing (nothing that decides a grant reads them). `version`
 * is in, so a record's MAC is only good for the version it was written at.
 *
 *   {"approvals":[{"at":"2026-11-29T10:05:00.000Z","email":"bob@example.com","login":"bob@example.com"}],
 *    "deadline":"2026-11-29T11:00:00.000Z","duration":"30m","flow":"tailscale-ssh-access","format":"symtail.request/1",
 *    "id":"r-0123456789abcdef","requester":{"email":"alice@example.com","login":"alice@example.com"},
 *    "state":"approved","target":"main-prod-access","version":2}
 *
 * (one line; broken here to fit). Approvals stay in the order they were cast. A field of the wrong type makes the
 * record malformed, which verifies as nothing does.
 */
export function canonicalRecord(request: AccessRequest): string {
  const r = request as unknown as Record<string, unknown>;
  const requester = object(r.requester, 'requester');
  if (!Array.isArray(r.approvals)) throw new MalformedRecord('approvals');
  if (typeof r.version !== 'number' || !Number.isSafeInteger(r.version)) throw new MalformedRecord('version');
  // A field sealed only beside another is malformed without it: written alone, it would be outside the MAC.
  if (r.grantedSince !== undefined && r.extends === undefined) throw new MalformedRecord('grantedSince');
  return canonicalJson({
    approvals: r.approvals.map((a: unknown, i) => {
      const approval = object(a, `approvals[${i}]`);
      const actor = object(approval.actor, 'actor');
      if (actor.kind === 'system') return ruleApproval(approval, actor, i);
      return { at: text(approval.at, 'at'), email: text(actor.email, 'email'), login: text(approval.login, 'login') };
    }),
    // Only when set, so records from before break-glass keep their MACs. Whether it awaits review, and who reviewed
    // it, are sealed too: a table write must not make an unreviewed emergency grant look reviewed.
    ...(r.breakGlass === undefined ? {} : { breakGlass: r.breakGlass === true ? true : text(r.breakGlass, 'breakGlass') }),
    ...(r.needsReview === undefined ? {} : { needsReview: flag(r.needsReview, 'needsReview') }),
    ...(r.review === undefined ? {} : { review: reviewOf(r.review) }),
    ...(r.fromBreakGlass === undefined ? {} : { fromBreakGlass: flag(r.fromBreakGlass, 'fromBreakGlass') }),
    deadline: text(r.deadline, 'deadline'),
    // The grant's times decide whether, and for how long, it may be extended. Only when set, so records escalated
    // before they were sealed keep their MACs; such a record cannot be extended (`checkExtendable`).
    ...(r.escalatedAt === undefined ? {} : { escalatedAt: text(r.escalatedAt, 'escalatedAt'), until: text(r.until, 'until') }),
    // Only when set, so records that extend nothing keep their MACs.
    ...(r.extends === undefined ? {} : { extends: text(r.extends, 'extends'), grantedSince: text(r.grantedSince, 'grantedSince') }),
    ...(r.extendedBy === undefined ? {} : { extendedBy: text(r.extendedBy, 'extendedBy') }),
    duration: text(r.duration, 'duration'),
    flow: text(r.flow, 'flow'),
    format: RECORD_FORMAT,
    id: text(r.id, 'id'),
    requester: { email: text(requester.email, 'requester.email'), login: text(r.login, 'login') },
    state: text(r.state, 'state'),
    target: text(r.target, 'target'),
    version: r.version,
  });
}

/** A break-glass review in canonical form: who (by email) and when; the note grants nothing. */
function reviewOf(value: unknown): Record<string, unknown> {
  const review = object(value, 'review');
  return { at: text(review.at, 'review.at'), email: text(object(review.actor, 'review.actor').email, 'review.email') };
}

/**
 * The fields outside the MAC that the runtime reads or walks, checked for their shape: a record whose history is not
 * a list of entries (say) would otherwise verify, then break every transition that appends to it.
 */
function checkUnsealedShape(r: Record<string, unknown>): void {
  if (!Array.isArray(r.history)) throw new MalformedRecord('history');
  r.history.forEach((h: unknown, i) => {
    const entry = object(h, `history[${i}]`);
    text(entry.action, `history[${i}].action`);
    text(entry.at, `history[${i}].at`);
    object(entry.actor, `history[${i}].actor`);
    if (entry.detail !== undefined) text(entry.detail, `history[${i}].detail`);
  });
  text(r.createdAt, 'createdAt');
  if (r.reason !== undefined) text(r.reason, 'reason');
  if (r.unpublished !== undefined && !Array.isArray(r.unpublished)) throw new MalformedRecord('unpublished');
}

/**
 * A rule's approval in canonical form: which rule, when, and the on-call entry it relied on, every field of it (the
 * gate judges the entry's window and source). A person's approval has `email` and `login` instead, so neither can
 * pass for the other.
 *
 *   {"at":"…","onCall":{"email":"dana@example.com","end":"…","escalationLevel":1,"escalationPolicyId":"PT20YPA",
 *    "provider":"pagerduty","scheduleId":"PI7DH85","start":"…"},"rule":"on-call"}
 */
function ruleApproval(approval: Record<string, unknown>, actor: Record<string, unknown>, index: number): Record<string, unknown> {
  if (actor.name !== 'on-call') throw new MalformedRecord(`approvals[${index}].actor`);
  const entry = object(approval.onCall, `approvals[${index}].onCall`);
  const optional = (field: string) => (entry[field] === undefined ? {} : { [field]: text(entry[field], field) });
  if (typeof entry.escalationLevel !== 'number' || !Number.isSafeInteger(entry.escalationLevel)) throw new MalformedRecord('escalationLevel');
  return {
    at: text(approval.at, 'at'),
    onCall: {
      provider: text(entry.provider, 'provider'),
      email: text(entry.email, 'email'),
      escalationPolicyId: text(entry.escalationPolicyId, 'escalationPolicyId'),
      escalationLevel: entry.escalationLevel,
      ...optional('scheduleId'),
      ...optional('start'),
      ...optional('end'),
    },
    rule: 'on-call',
  };
}

/**
 * Seals request records and verifies them: `mac` (base64) is the HMAC-SHA-256, under a key only the runtime may
 * use, of the record's canonical form ({@link canonicalRecord}). A record written or changed by anything but the
 * runtime — a DynamoDB `PutItem` of an approved request, an `UpdateItem` of a pending one — has no MAC that verifies.
 *
 * The canonical forms this seal made or verified are remembered (a bounded number): a record the same container
 * wrote a moment ago verifies without another call to the key, as the same MAC would come back.
 */
export class RecordSeal {
  private readonly known = new Map<string, Buffer>();

  constructor(private readonly key: MacKey) {}

  /** The MAC (base64) of `request` exactly as given, `version` included: seal it as it will be stored. */
  async seal(request: AccessRequest): Promise<string> {
    const canonical = canonicalRecord(request);
    const mac = Buffer.from(await this.key.generateMac(digest(canonical)));
    this.remember(canonical, mac);
    return mac.toString('base64');
  }

  /**
   * Whether `request.mac` is the MAC of the record as it is; false for a missing, malformed or wrong MAC, and for a
   * record whose unsealed fields are not of the shape the runtime reads (a history that is not a list, say).
   */
  async verify(request: AccessRequest): Promise<boolean> {
    const mac = typeof request.mac === 'string' ? Buffer.from(request.mac, 'base64') : undefined;
    if (mac === undefined || mac.length !== MAC_BYTES || mac.toString('base64') !== request.mac) return false;
    let canonical: string;
    try {
      canonical = canonicalRecord(request);
      checkUnsealedShape(request as unknown as Record<string, unknown>);
    } catch (error) {
      if (error instanceof MalformedRecord) return false;
      throw error;
    }
    const known = this.known.get(canonical);
    if (known !== undefined) return timingSafeEqual(known, mac);
    const valid = await this.key.verifyMac(digest(canonical), mac);
    if (valid) this.remember(canonical, mac);
    return valid;
  }

  private remember(canonical: string, mac: Buffer): void {
    if (this.known.size >= KNOWN_LIMIT) this.known.delete(this.known.keys().next().value!);
    this.known.set(canonical, mac);
  }
}

/**
 * The message a record's MAC is computed over: the SHA-256 digest of its canonical form (UTF-8). KMS MACs at most
 * 4,096 bytes of message, and ten approvals with long emails and logins could pass that; the digest never does.
 */
function digest(canonical: string): Buffer {
  return createHash('sha256').update(canonical, 'utf8').digest();
}

/** JSON with every object's keys in sorted order (by UTF-16 code unit, as `sort()` orders), no white space. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

function object(value: unknown, field: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new MalformedRecord(field);
  return value as Record<string, unknown>;
}

function flag(value: unknown, field: string): true {
  if (value !== true) throw new MalformedRecord(field);
  return true;
}

function text(value: unknown, field: string): string {
  if (typeof value !== 'string') throw new MalformedRecord(field);
  return value;
}
