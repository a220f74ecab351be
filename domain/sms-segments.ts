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

/** Stand-ins outside the letters NFD can strip: a masked card number, ligatures, dashes, quotes. */
const PLAIN: Record<string, string> = {
  '\u00A0': ' ', // no-break space (fr-FR money and numbers)
  '\u202F': ' ', // narrow no-break space
  '\u2009': ' ', // thin space
  '\u2018': "'",
  '\u2019': "'",
  '\u201C': '"',
  '\u201D': '"',
  '\u00AB': '"',
  '\u00BB': '"',
  '\u2013': '-',
  '\u2014': '-',
  '\u2026': '...',
  '\u2022': '*', // "Visa •••• 4242"
  '\u00B7': '*',
  œ: 'oe',
  Œ: 'OE',
};

/**
 * One character outside GSM-7 switches the whole SMS to UCS-2 and more than halves what a segment
 * holds. Typographic spaces, quotes and dashes that locale formatting or a label brings, and
 * accented letters GSM-7 lacks (ê ç î ô ë: "Noël", "Jérôme", "Françoise"), are written in their
 * plain form, as carriers' smart encodings do; letters GSM-7 has (é è à ù) are kept. Anything
 * else (an emoji, another script) is left as is and counted as UCS-2.
 */
export function gsmFriendly(text: string): string {
  return Array.from(text.normalize('NFC'), (c) => {
    if (basic.has(c) || extension.has(c)) return c;
    const plain = PLAIN[c];
    if (plain !== undefined) return plain;
    const stripped = c.normalize('NFD').replace(/\p{M}/gu, '');
    return stripped !== c && Array.from(stripped).every((s) => basic.has(s)) ? stripped : c;
  }).join('');
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
