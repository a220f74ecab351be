/**
 * The keys that encrypt Temporal payloads (see payload-codec.ts): `RELANCE_PAYLOAD_KEY` from the
 * environment or the secrets file, else one key generated once per installation under the data
 * folder. A list `id:key,…` rotates keys: the first encrypts, every one listed decrypts.
 */
import { randomBytes } from 'node:crypto';
import { ErrorCode, RelanceError } from '../domain/errors';
import { installationSecret } from './installation-secret';

export interface PayloadKey {
  /** Stored in each encrypted payload's metadata, so the right key is found after a rotation. */
  id: string;
  /** 32 bytes (AES-256). */
  key: Buffer;
}

/** The id of a key given alone, without `id:`. */
export const DEFAULT_KEY_ID = 'default';
const KEY_FILE = 'payload-key';
const ID = /^[A-Za-z0-9._-]{1,64}$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

function invalid(where: string, why: string): RelanceError {
  // Never quote the value: it is a secret.
  return new RelanceError(ErrorCode.InvalidConfig, `${where}: ${why}`, [{ path: where, message: why }]);
}

/** Parses `key` or `id:key,id:key,…` (keys in base64, 32 bytes each); the first one encrypts. */
export function parsePayloadKeys(text: string, where = 'RELANCE_PAYLOAD_KEY'): PayloadKey[] {
  const entries = text
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e.length > 0);
  if (entries.length === 0) throw invalid(where, 'expected a key: 32 bytes in base64');
  const keys = entries.map((entry, index): PayloadKey => {
    const at = entries.length > 1 ? `${where}[${index}]` : where;
    const colon = entry.indexOf(':');
    const id = colon < 0 ? DEFAULT_KEY_ID : entry.slice(0, colon);
    const encoded = colon < 0 ? entry : entry.slice(colon + 1);
    if (colon < 0 && entries.length > 1) throw invalid(at, 'expected id:key when several keys are listed');
    if (!ID.test(id)) throw invalid(at, 'expected an id of letters, digits, ".", "_" or "-" before ":"');
    const key = Buffer.from(encoded, 'base64');
    if (!BASE64.test(encoded) || key.length !== 32)
      throw invalid(at, 'expected a key of 32 bytes in base64 (e.g. `openssl rand -base64 32`)');
    return { id, key };
  });
  const ids = keys.map((k) => k.id);
  const twice = ids.find((id, i) => ids.indexOf(id) !== i);
  if (twice !== undefined) throw invalid(where, `the key id "${twice}" is listed twice`);
  return keys;
}

/** A fresh random key, as `id:base64`. */
export function generatePayloadKey(id: string): string {
  return `${id}:${randomBytes(32).toString('base64')}`;
}

/** The installation's keys: from the environment, or generated once into `dataDir/payload-key`. */
export function payloadKeys(settings: {
  RELANCE_DATA_DIR: string;
  RELANCE_PAYLOAD_KEY?: string | undefined;
}): PayloadKey[] {
  if (settings.RELANCE_PAYLOAD_KEY) return parsePayloadKeys(settings.RELANCE_PAYLOAD_KEY);
  const generated = installationSecret(settings.RELANCE_DATA_DIR, KEY_FILE, () =>
    generatePayloadKey('local'),
  );
  return parsePayloadKeys(generated, `${settings.RELANCE_DATA_DIR}/${KEY_FILE}`);
}
