import * as fs from 'fs';
import * as path from 'path';
import { SHARED_DIR } from '../support/shared-data';

/** The shared HuJSON vectors (data produced by the reference implementation), read in place. */
export const VECTORS_DIR = path.join(SHARED_DIR, 'hujson-vectors');

export interface ParseVector {
  readonly id: string;
  readonly input: string | Uint8Array;
  /** The reference's whole error message, or null when it accepts the input. */
  readonly wantErr: string | null;
  /** The reference's standardized output, when the vector gives one. */
  readonly wantStd?: string;
}

interface UpstreamCase {
  id: string;
  in: string | null;
  in_b64?: string;
  wantErr: string | null;
  wantStd?: string;
}

interface DerivedCase {
  note: string;
  in: string | { b64: string };
  err: string | null;
  standardized?: string;
}

function readJson<T>(name: string): T {
  return JSON.parse(fs.readFileSync(path.join(VECTORS_DIR, name), 'utf8')) as T;
}

export function upstreamParseVectors(): ParseVector[] {
  return readJson<{ cases: UpstreamCase[] }>('parse_cases.json').cases.map((c) => ({
    id: c.id,
    input: c.in ?? new Uint8Array(Buffer.from(c.in_b64 as string, 'base64')),
    wantErr: c.wantErr,
    wantStd: c.wantStd,
  }));
}

export function derivedParseVectors(): ParseVector[] {
  return readJson<{ parse: DerivedCase[] }>('derived_cases.json').parse.map((c) => ({
    id: c.note,
    input: typeof c.in === 'string' ? c.in : new Uint8Array(Buffer.from(c.in.b64, 'base64')),
    wantErr: c.err,
    wantStd: c.standardized,
  }));
}
