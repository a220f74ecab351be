import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import '../../domain/zone-offsets';

const offsetAt = (iso: string, zone: string) => DateTime.fromISO(iso, { zone: 'utc' }).setZone(zone).offset;

describe('remembered zone offsets', () => {
  it('answer across a time change exactly as before, on the second it happens, asked twice', () => {
    for (let round = 0; round < 2; round++) {
      // Paris springs forward at 01:00Z on 28 March 2027; New York at 07:00Z on 14 March.
      expect(offsetAt('2027-03-28T00:59:59.999Z', 'Europe/Paris')).toBe(60);
      expect(offsetAt('2027-03-28T01:00:00.000Z', 'Europe/Paris')).toBe(120);
      expect(offsetAt('2027-03-14T06:59:59.500Z', 'America/New_York')).toBe(-300);
      expect(offsetAt('2027-03-14T07:00:00.001Z', 'America/New_York')).toBe(-240);
      // Lord Howe moves by half an hour; Monrovia left -0:44:30 at 00:44:30Z on 7 January 1972.
      expect(offsetAt('2027-04-03T14:59:59Z', 'Australia/Lord_Howe')).toBe(660);
      expect(offsetAt('2027-04-03T15:00:00Z', 'Australia/Lord_Howe')).toBe(630);
      expect(offsetAt('1972-01-07T00:44:29Z', 'Africa/Monrovia')).toBeCloseTo(-44.5);
      expect(offsetAt('1972-01-07T00:44:30Z', 'Africa/Monrovia')).toBe(0);
    }
  });

  it('local wall times still resolve through the gap and the overlap', () => {
    const gap = DateTime.fromISO('2027-03-28T02:30', { zone: 'Europe/Paris' });
    expect(gap.toISO()).toBe('2027-03-28T03:30:00.000+02:00');
    const overlap = DateTime.fromISO('2027-10-31T02:30', { zone: 'Europe/Paris' });
    expect(overlap.toUTC().toISO()).toBe('2027-10-31T01:30:00.000Z'); // Luxon's choice, unchanged
  });
});
