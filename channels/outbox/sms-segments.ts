/**
 * How many SMS segments a body costs, as carriers bill it: GSM-7 when every character is in the
 * GSM 03.38 alphabet (extension characters take two septets), UCS-2 otherwise. A concatenated
 * message loses room to the UDH, and an escape pair or a surrogate pair is never split.
 */

const GSM_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡' +
  'ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM_EXTENSION = '^{}\\[~]|€\f';

const basic = new Set(GSM_BASIC);
const extension = new Set(GSM_EXTENSION);

export type SmsEncoding = 'GSM-7' | 'UCS-2';

export function smsEncoding(body: string): SmsEncoding {
  for (const ch of body) if (!basic.has(ch) && !extension.has(ch)) return 'UCS-2';
  return 'GSM-7';
}

/** Packs units greedily into parts of `perPart`, never splitting one character's units. */
function pack(costs: number[], single: number, perPart: number): number {
  const total = costs.reduce((a, b) => a + b, 0);
  if (total <= single) return 1;
  let parts = 1;
  let used = 0;
  for (const cost of costs) {
    if (used + cost > perPart) {
      parts += 1;
      used = 0;
    }
    used += cost;
  }
  return parts;
}

export function countSegments(body: string): number {
  if (body.length === 0) return 1;
  const chars = [...body];
  if (smsEncoding(body) === 'GSM-7') {
    return pack(
      chars.map((ch) => (extension.has(ch) ? 2 : 1)),
      160,
      153,
    );
  }
  // UCS-2 counts UTF-16 code units: an emoji outside the BMP costs two.
  return pack(
    chars.map((ch) => ch.length),
    70,
    67,
  );
}
