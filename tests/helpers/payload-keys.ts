/**
 * The payload key of recorded histories (tests/fixtures/histories, scripts/record-histories.ts):
 * a fixed test fixture, derived from a public phrase, so recordings stay replayable. Not a secret.
 */
import { createHash } from 'node:crypto';
import { parsePayloadKeys } from '../../runtime/payload-keys';

export const FIXTURE_PAYLOAD_KEYS = parsePayloadKeys(
  `fixtures:${createHash('sha256').update('relance recorded histories').digest('base64')}`,
);
