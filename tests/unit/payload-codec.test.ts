/**
 * The payload codec that keeps personal data out of Temporal's history: AES-256-GCM per payload,
 * the key id in the metadata so keys rotate, plain payloads of older histories passed through.
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { loadDataConverter } from '@temporalio/common/lib/internal-non-workflow';
import { afterEach, describe, expect, it } from 'vitest';
import { RelanceError } from '../../domain/errors';
import {
  createDataConverter,
  ENCRYPTED_ENCODING,
  EncryptionCodec,
  KEY_ID_METADATA,
} from '../../runtime/payload-codec';
import { generatePayloadKey, parsePayloadKeys, payloadKeys } from '../../runtime/payload-keys';

const dispute = { invoiceId: 'INV-1', reason: 'Mme Ysolde Brakmann-Okonkwo dit: jamais livré' };
const plain = (value: unknown): Payload => defaultPayloadConverter.toPayload(value);
const meta = (p: Payload, key: string) => Buffer.from(p.metadata?.[key] ?? []).toString('utf8');
const bytes = (p: Payload) => Buffer.from(p.data ?? []).toString('latin1');

describe('the payload codec', () => {
  const [older, current] = [
    parsePayloadKeys(generatePayloadKey('k1')),
    parsePayloadKeys(generatePayloadKey('k2')),
  ];
  const codec = new EncryptionCodec(current);

  it('when a payload is encoded then decoded, then it is the same payload, and no text of it shows in between', async () => {
    const [encoded] = await codec.encode([plain(dispute)]);
    expect(encoded && meta(encoded, 'encoding')).toBe(ENCRYPTED_ENCODING);
    expect(encoded && meta(encoded, KEY_ID_METADATA)).toBe('k2');
    expect(encoded && bytes(encoded)).not.toContain('Brakmann');
    expect(encoded && bytes(encoded)).not.toContain('INV-1');
    const decoded = await codec.decode(encoded ? [encoded] : []);
    expect(decoded.map((p) => defaultPayloadConverter.fromPayload(p))).toEqual([dispute]);
    expect(decoded[0] && meta(decoded[0], 'encoding')).toBe('json/plain');
  });

  it('when the same value is encoded twice, then the two ciphertexts differ (a fresh IV each time)', async () => {
    const [a, b] = await codec.encode([plain(dispute), plain(dispute)]);
    expect(a && bytes(a)).not.toBe(b && bytes(b));
  });

  it('when an encrypted payload is altered, then decoding fails with a typed error instead of returning data', async () => {
    const [encoded] = await codec.encode([plain(dispute)]);
    if (!encoded?.data) throw new Error('no payload');
    const data = Buffer.from(encoded.data);
    data[data.length - 1] = (data[data.length - 1] ?? 0) ^ 0x01;
    await expect(codec.decode([{ ...encoded, data }])).rejects.toBeInstanceOf(RelanceError);
  });

  it('when the key id in the metadata is swapped for another known key, then decoding fails', async () => {
    const both = new EncryptionCodec([...current, ...older]);
    const [encoded] = await both.encode([plain(dispute)]);
    if (!encoded) throw new Error('no payload');
    const swapped = { ...encoded, metadata: { ...encoded.metadata, [KEY_ID_METADATA]: Buffer.from('k1') } };
    await expect(both.decode([swapped])).rejects.toThrow(/does not decrypt with the key "k1"/);
  });

  it('when a payload is not encrypted (a history from before encryption), then it decodes unchanged', async () => {
    const payload = plain(dispute);
    expect(await codec.decode([payload])).toEqual([payload]);
  });

  it('when keys rotate, then the new first key encrypts and payloads of the older key still decode', async () => {
    const [old] = await new EncryptionCodec(older).encode([plain(dispute)]);
    if (!old) throw new Error('no payload');
    const rotated = new EncryptionCodec([...current, ...older]);
    const [fresh] = await rotated.encode([plain(dispute)]);
    expect(fresh && meta(fresh, KEY_ID_METADATA)).toBe('k2');
    const decoded = await rotated.decode([old, ...(fresh ? [fresh] : [])]);
    expect(decoded.map((p) => defaultPayloadConverter.fromPayload(p))).toEqual([dispute, dispute]);
  });

  it('when a payload names a key that is no longer listed, then decoding says which key is missing', async () => {
    const [old] = await new EncryptionCodec(older).encode([plain(dispute)]);
    await expect(codec.decode(old ? [old] : [])).rejects.toThrow(
      /key "k1", which RELANCE_PAYLOAD_KEY does not list/,
    );
  });
});

describe('the data converter of every client and worker', () => {
  it('when an error carries personal data, then its message and stack travel in a payload the codec encrypts', async () => {
    const loaded = loadDataConverter(createDataConverter(parsePayloadKeys(generatePayloadKey('k'))));
    const failure = loaded.failureConverter.errorToFailure(
      new Error('invalid address ysolde.brakmann@example.org'),
      loaded.payloadConverter,
    );
    expect(JSON.stringify({ message: failure.message, stack: failure.stackTrace })).not.toContain('ysolde');
    const [encoded] = await (loaded.payloadCodecs[0]?.encode(
      failure.encodedAttributes ? [failure.encodedAttributes] : [],
    ) ?? []);
    expect(encoded && meta(encoded, 'encoding')).toBe(ENCRYPTED_ENCODING);
  });
});

describe('RELANCE_PAYLOAD_KEY', () => {
  const key = Buffer.alloc(32, 7).toString('base64');
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it('when one key is given without an id, then it encrypts under the id "default"', () => {
    expect(parsePayloadKeys(key)).toEqual([{ id: 'default', key: Buffer.alloc(32, 7) }]);
  });

  it('when a list is given, then the first key encrypts and all decrypt', () => {
    expect(
      parsePayloadKeys(`new:${key}, old:${Buffer.alloc(32, 1).toString('base64')}`).map((k) => k.id),
    ).toEqual(['new', 'old']);
  });

  it.each([
    [
      'a key of 16 bytes',
      Buffer.alloc(16).toString('base64'),
      /RELANCE_PAYLOAD_KEY: expected a key of 32 bytes/,
    ],
    ['text that is not base64', 'not base64 at all!', /RELANCE_PAYLOAD_KEY: expected a key of 32 bytes/],
    ['two keys, one without id', `a:${key},${key}`, /RELANCE_PAYLOAD_KEY\[1\]: expected id:key/],
    ['the same id twice', `a:${key},a:${key}`, /"a" is listed twice/],
  ])(
    'when it holds %s, then the start stops with a message that names it but not the key',
    (_, value, message) => {
      const error = (() => {
        try {
          parsePayloadKeys(value);
        } catch (e) {
          return e;
        }
        return undefined;
      })();
      expect(error).toBeInstanceOf(RelanceError);
      expect(String(error)).toMatch(message);
      expect(String(error)).not.toContain(value);
    },
  );

  it('when it is unset, then a key is generated once in the data folder (mode 0600) and kept across starts', () => {
    dir = mkdtempSync(join(tmpdir(), 'relance-keys-'));
    const dataDir = join(dir, 'data'); // not there yet: a worker on PostgreSQL may have no data folder
    const first = payloadKeys({ RELANCE_DATA_DIR: dataDir });
    const second = payloadKeys({ RELANCE_DATA_DIR: dataDir });
    expect(first).toEqual(second);
    expect(first[0]?.key).toHaveLength(32);
    expect(statSync(join(dataDir, 'payload-key')).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(dataDir, 'payload-key'), 'utf8')).toMatch(/^local:/);
  });

  it('when it is set, then it wins over the generated key', () => {
    dir = mkdtempSync(join(tmpdir(), 'relance-keys-'));
    expect(payloadKeys({ RELANCE_DATA_DIR: dir, RELANCE_PAYLOAD_KEY: `env:${key}` })).toEqual([
      { id: 'env', key: Buffer.alloc(32, 7) },
    ]);
  });
});
