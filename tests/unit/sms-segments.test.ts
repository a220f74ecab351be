import { describe, expect, it } from 'vitest';
import { countSegments, gsmFriendly } from '../../templates/sms-segments';

const gsm = (n: number) => 'a'.repeat(n);
const segments = (text: string) => countSegments(text).segments;

describe('SMS segments, as carriers bill them', () => {
  it.each([
    [1, 1],
    [160, 1],
    [161, 2],
    [306, 2],
    [307, 3],
    [459, 3],
    [460, 4],
  ])('when a plain GSM-7 text has %i characters, then it takes %i segment(s)', (length, expected) => {
    expect(countSegments(gsm(length))).toEqual({
      encoding: 'GSM-7',
      units: length,
      segments: expected,
      nonGsmCharacters: [],
    });
  });

  it('when the text is empty, then it still is one (empty) segment', () => {
    expect(countSegments('')).toMatchObject({ encoding: 'GSM-7', units: 0, segments: 1 });
  });

  it('when a GSM text uses € or [, then each counts as two septets', () => {
    expect(countSegments('€'.repeat(80))).toMatchObject({ encoding: 'GSM-7', units: 160, segments: 1 });
    expect(countSegments('['.repeat(81))).toMatchObject({ encoding: 'GSM-7', units: 162, segments: 2 });
    expect(countSegments(`${gsm(158)}€`)).toMatchObject({ units: 160, segments: 1 });
    expect(countSegments(`${gsm(159)}€`)).toMatchObject({ units: 161, segments: 2 });
  });

  it('when a two-septet character would straddle two parts, then it moves whole to the next part', () => {
    // 152 + 2 + 152 = 306 septets, which would fit 2 × 153 if € could be split; it cannot.
    const text = `${gsm(152)}€${gsm(152)}`;
    expect(countSegments(text)).toMatchObject({ encoding: 'GSM-7', units: 306, segments: 3 });
    expect(segments(`${gsm(151)}[${gsm(153)}`)).toBe(2); // the escape pair ends part one exactly
  });

  it('when the text has accented French letters outside GSM-7 (ê, ç), then the whole message is UCS-2', () => {
    for (const letter of ['ê', 'ç']) {
      expect(countSegments(letter.repeat(70))).toMatchObject({ encoding: 'UCS-2', units: 70, segments: 1 });
      expect(segments(letter.repeat(71))).toBe(2);
      expect(segments(letter.repeat(134))).toBe(2);
      expect(segments(letter.repeat(135))).toBe(3);
    }
    // One ç in an otherwise GSM text of 150 characters turns one segment into three.
    expect(countSegments(`${gsm(149)}ç`)).toMatchObject({
      encoding: 'UCS-2',
      segments: 3,
      nonGsmCharacters: ['ç'],
    });
  });

  it('when French letters belong to GSM-7 (é, è, à, ù), then the message stays GSM-7', () => {
    expect(countSegments('Réglée à temps, après où ? Ça ira.')).toMatchObject({ encoding: 'GSM-7' });
  });

  it('when the text is UCS-2, then € is one unit like any other character', () => {
    expect(countSegments(`ê${'€'.repeat(69)}`)).toMatchObject({ encoding: 'UCS-2', units: 70, segments: 1 });
  });

  it('when the text has an emoji, then it counts two UTF-16 units and its pair is never split', () => {
    expect(countSegments('😀'.repeat(35))).toMatchObject({ encoding: 'UCS-2', units: 70, segments: 1 });
    expect(countSegments('😀'.repeat(36))).toMatchObject({ units: 72, segments: 2 });
    // 66 + 2 + 66 = 134 units = 2 × 67, but the pair cannot straddle the parts.
    expect(countSegments(`${gsm(66)}😀${gsm(66)}`)).toMatchObject({ units: 134, segments: 3 });
    expect(segments(`${gsm(65)}😀${gsm(67)}`)).toBe(2);
  });

  it('when characters force UCS-2, then each is listed once to help the author', () => {
    expect(countSegments('Merci ! 😀 Fête, fête, 😀 …').nonGsmCharacters).toEqual(['😀', 'ê', '…']);
  });
});

describe('SMS text written in GSM-7 forms before it is counted and sent', () => {
  it('when a label carries a masked card number or letters GSM-7 lacks, then their plain forms keep it GSM-7', () => {
    const text = gsmFriendly('Visa •••• 4242 · Bon Noël de Françoise, Jérôme, cœur, Île, Hôtel');
    expect(text).toBe('Visa **** 4242 * Bon Noel de Francoise, Jérome, coeur, Ile, Hotel');
    expect(countSegments(text)).toMatchObject({ encoding: 'GSM-7', nonGsmCharacters: [] });
  });

  it('when letters belong to GSM-7 (é è à ù É Ç ñ ü), then they are kept as written', () => {
    expect(gsmFriendly('Réglée à temps, où ? Ça, Élodie, España, Müller')).toBe(
      'Réglée à temps, où ? Ça, Élodie, España, Müller',
    );
  });

  it('when locale formatting brings typographic spaces, quotes and dashes, then they become plain', () => {
    expect(gsmFriendly('12\u202f500 points, 10,00\u00a0€ \u2014 l\u2019offre \u00abOr\u00bb\u2026')).toBe(
      '12 500 points, 10,00 € - l\'offre "Or"...',
    );
  });

  it('when an accent arrives decomposed (e + combining acute), then it is the GSM-7 é', () => {
    expect(gsmFriendly('Re\u0301gle\u0301e')).toBe('Réglée');
  });

  it('when a character has no plain form (an emoji, another script), then it is left and the SMS is UCS-2', () => {
    const text = gsmFriendly('Merci 🎁 Ψ 谢谢');
    expect(text).toBe('Merci 🎁 Ψ 谢谢');
    expect(countSegments(text).encoding).toBe('UCS-2');
  });
});
