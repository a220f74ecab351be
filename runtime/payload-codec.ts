/**
 * Encrypts every Temporal payload (workflow and activity inputs and results, signals, queries,
 * failure messages) with AES-256-GCM before it leaves the process, so Temporal's history holds no
 * contact's personal data in plain text. Payloads recorded before encryption (no
 * `binary/encrypted` encoding) decode unchanged: running workflows and old histories still work.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { DataConverter, Payload, PayloadCodec } from '@temporalio/common';
import proto from '@temporalio/proto';
import { ErrorCode, RelanceError } from '../domain/errors';
import type { PayloadKey } from './payload-keys';

const ProtoPayload = proto.temporal.api.common.v1.Payload;
export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const KEY_ID_METADATA = 'encryption-key-id';
const IV_BYTES = 12;
const TAG_BYTES = 16;

const text = (bytes: Uint8Array | null | undefined) =>
  bytes ? Buffer.from(bytes).toString('utf8') : undefined;

export function isEncrypted(payload: Payload): boolean {
  return text(payload.metadata?.encoding) === ENCRYPTED_ENCODING;
}

export class EncryptionCodec implements PayloadCodec {
  private readonly current: PayloadKey;
  private readonly byId: ReadonlyMap<string, Buffer>;

  /** `keys[0]` encrypts; every key decrypts the payloads that name its id. */
  constructor(keys: readonly PayloadKey[]) {
    const [current] = keys;
    if (!current) throw new RelanceError(ErrorCode.InvalidConfig, 'No payload encryption key');
    this.current = current;
    this.byId = new Map(keys.map((k) => [k.id, k.key]));
  }

  // Promises (the SDK's interface) that reject, never throw, when a payload does not decrypt.
  encode(payloads: Payload[]): Promise<Payload[]> {
    return new Promise((resolve) => resolve(payloads.map((p) => this.encrypt(p))));
  }

  decode(payloads: Payload[]): Promise<Payload[]> {
    return new Promise((resolve) => resolve(payloads.map((p) => (isEncrypted(p) ? this.decrypt(p) : p))));
  }

  private encrypt(payload: Payload): Payload {
    const { id, key } = this.current;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(Buffer.from(id)); // the key id in the metadata cannot be swapped unnoticed
    const body = Buffer.concat([cipher.update(ProtoPayload.encode(payload).finish()), cipher.final()]);
    return {
      metadata: { encoding: Buffer.from(ENCRYPTED_ENCODING), [KEY_ID_METADATA]: Buffer.from(id) },
      data: Buffer.concat([iv, cipher.getAuthTag(), body]),
    };
  }

  private decrypt(payload: Payload): Payload {
    const id = text(payload.metadata?.[KEY_ID_METADATA]) ?? '';
    const key = this.byId.get(id);
    if (!key)
      throw new RelanceError(
        ErrorCode.InvalidConfig,
        `A Temporal payload is encrypted with the key "${id}", which RELANCE_PAYLOAD_KEY does not list`,
      );
    const data = Buffer.from(payload.data ?? new Uint8Array());
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, IV_BYTES));
      decipher.setAAD(Buffer.from(id));
      decipher.setAuthTag(data.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      const plain = Buffer.concat([decipher.update(data.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
      const { metadata, data: inner } = ProtoPayload.decode(plain);
      return { metadata, data: inner };
    } catch {
      throw new RelanceError(
        ErrorCode.InvalidConfig,
        `A Temporal payload does not decrypt with the key "${id}": another key under that id, or altered data`,
      );
    }
  }
}

/**
 * The data converter of every Temporal client and worker (engine, simulator, scripts, tests):
 * payloads encrypted, and failure messages and stack traces moved into an encrypted payload too.
 */
export function createDataConverter(keys: readonly PayloadKey[]): DataConverter {
  return {
    payloadCodecs: [new EncryptionCodec(keys)],
    failureConverterPath,
  };
}

/** Loaded inside the workflow bundle as well, hence a module path rather than an instance. */
export const failureConverterPath = fileURLToPath(new URL('./failure-converter.cjs', import.meta.url));
