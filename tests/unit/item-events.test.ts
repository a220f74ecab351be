/**
 * The schemas of the events about cards, vouchers and points (contract §4), on their own: what
 * parses, and what is named when it does not.
 */
import { describe, expect, it } from 'vitest';
import { parseEvents } from '../../domain/events';
import { lastDayOfMonth } from '../../domain/item-events';

const payment = (expiresOn: string) => ({
  type: 'card.registered',
  data: { id: 'PAY-1', contactId: 'c1', kind: 'payment', label: 'Visa •••• 4242', expiresOn },
});

describe('item event schemas', () => {
  it('when a month ends, then lastDayOfMonth finds it, leap years and December included', () => {
    expect(lastDayOfMonth('2028-02-10')).toBe('2028-02-29');
    expect(lastDayOfMonth('2027-02-01')).toBe('2027-02-28');
    expect(lastDayOfMonth('2026-12-05')).toBe('2026-12-31');
    expect(lastDayOfMonth('2026-10-31')).toBe('2026-10-31');
  });

  it('when a payment card expires on the last day of its month, then it parses; on another day, then expiresOn is named with that last day', () => {
    expect(parseEvents(payment('2028-02-29')).ok).toBe(true);
    expect(parseEvents(payment('2026-10-31')).ok).toBe(true);
    expect(parseEvents(payment('2026-10-30'))).toMatchObject({
      ok: false,
      issues: [{ path: 'data.expiresOn', message: expect.stringContaining('2026-10-31') as unknown }],
    });
  });

  it('when a voucher has a value in yen with decimals, then the value is named once; a currency alone names the missing value', () => {
    const voucher = { id: 'V-1', contactId: 'c1', code: 'A', label: 'Bon', expiresOn: '2026-04-15' };
    const yen = parseEvents({ type: 'voucher.issued', data: { ...voucher, value: '10.5', currency: 'JPY' } });
    expect(yen).toMatchObject({ ok: false, issues: [{ path: 'data.value' }] });
    if (!yen.ok) expect(yen.issues).toHaveLength(1);
    const alone = parseEvents({ type: 'voucher.issued', data: { ...voucher, currency: 'EUR' } });
    expect(alone).toMatchObject({ ok: false, issues: [{ path: 'data.value' }] });
  });

  it('when points are zero, a float or above a billion, then data.points is named', () => {
    for (const points of [0, 2.5, 1_000_000_001]) {
      const parsed = parseEvents({ type: 'points.used', data: { lotId: 'LOT-1', points } });
      expect(parsed).toMatchObject({ ok: false, issues: [{ path: 'data.points' }] });
    }
  });
});
