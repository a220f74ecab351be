/**
 * SMS length in real segments, as carriers bill it. GSM-7 holds 160 septets in one segment and
 * 153 per part of a concatenated message; characters of the GSM extension table (€ [ ] { } …)
 * take two septets and are never split across parts. Anything outside GSM-7 switches the whole
 * message to UCS-2: 70 UTF-16 units in one segment, 67 per part, surrogate pairs kept whole.
 */
const GSM_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM_EXTENSION = '\f^{}\\[~]|€';

const basic = new Set(GSM_BASIC);
const extension = new Set(GSM_EXTENSION);

export interface SegmentCount {
  encoding: 'GSM-7' | 'UCS-2';
  segments: number;
  /** Septets (GSM-7) or UTF-16 code units (UCS-2) the text takes. */
  units: number;
  /** Characters that forced UCS-2, to help an author rewrite them. */
  nonGsmCharacters: string[];
}

export function countSegments(text: string): SegmentCount {
  const chars = Array.from(text);
  const nonGsm = [...new Set(chars.filter((c) => !basic.has(c) && !extension.has(c)))];
  if (nonGsm.length === 0) {
    const widths = chars.map((c) => (extension.has(c) ? 2 : 1));
    const units = widths.reduce((a, b) => a + b, 0);
    return { encoding: 'GSM-7', units, segments: units <= 160 ? 1 : pack(widths, 153), nonGsmCharacters: [] };
  }
  const widths = chars.map((c) => c.length); // astral characters (emoji) are two UTF-16 units
  const units = widths.reduce((a, b) => a + b, 0);
  return { encoding: 'UCS-2', units, segments: units <= 70 ? 1 : pack(widths, 67), nonGsmCharacters: nonGsm };
}

/** Greedy packing of indivisible characters into parts of `capacity` units. */
function pack(widths: number[], capacity: number): number {
  let parts = 1;
  let used = 0;
  for (const width of widths) {
    if (used + width > capacity) {
      parts += 1;
      used = 0;
    }
    used += width;
  }
  return parts;
}
