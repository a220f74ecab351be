/**
 * Bad events about cards, vouchers and points (contract §4, issue 8): each is a 400 naming the
 * field path, and nothing of its batch is applied — the GET endpoints show the items unchanged
 * or absent. Repeats: a repeated event id is ignored, an identical registration is accepted once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drivers } from '../helpers/db';
import { marie } from '../helpers/engine';
import { issuePaths, startItemApi, type ItemApi } from '../helpers/item-api';

const card = { id: 'CARD-1', contactId: 'c1', kind: 'loyalty', label: 'Carte Or', expiresOn: '2026-06-30' };
const voucher = {
  id: 'V-1',
  contactId: 'c1',
  code: 'PRINTEMPS10',
  label: "Bon d'achat de 10 €",
  value: '10.00',
  currency: 'EUR',
  expiresOn: '2026-04-15',
};
const lot = { id: 'LOT-1', contactId: 'c1', points: 100, expiresOn: '2026-05-31' };
const fresh = { type: 'voucher.issued', data: { ...voucher, id: 'V-FRESH' } };

describe.each(drivers)('bad events about items (%s)', (driver) => {
  let api: ItemApi;
  beforeAll(async () => {
    api = await startItemApi(driver);
    const setup = await api.post([
      { id: 'evt-c1', type: 'contact.upserted', data: marie },
      { id: 'evt-card', type: 'card.registered', data: card },
      { id: 'evt-pay', type: 'card.registered', data: { ...card, id: 'PAY-1', kind: 'payment' } },
      { id: 'evt-v1', type: 'voucher.issued', data: voucher },
      { id: 'evt-lot', type: 'points.credited', data: lot },
    ]);
    expect(setup.status).toBe(202);
  });
  afterAll(() => api.close());

  /** Posts [a valid new voucher, ...events]: a 400 must leave the valid one out too. */
  async function refused(events: unknown[]) {
    const res = await api.post([fresh, ...events]);
    expect(res.status).toBe(400);
    expect((await api.get('/v1/vouchers/V-FRESH')).status).toBe(404);
    return issuePaths(res.body);
  }

  it.each([
    [
      'an unknown card kind',
      { type: 'card.registered', data: { ...card, id: 'C-X', kind: 'gold' } },
      '[1].data.kind',
    ],
    [
      'a non-integer point count',
      { type: 'points.credited', data: { ...lot, id: 'L-X', points: 1.5 } },
      '[1].data.points',
    ],
    [
      'a negative point count',
      { type: 'points.credited', data: { ...lot, id: 'L-X', points: -5 } },
      '[1].data.points',
    ],
    ['points as a string', { type: 'points.used', data: { lotId: 'LOT-1', points: '5' } }, '[1].data.points'],
    [
      'expiresOn not a date',
      { type: 'card.registered', data: { ...card, id: 'C-X', expiresOn: '2026-02-30' } },
      '[1].data.expiresOn',
    ],
    [
      'expiresOn as an instant',
      { type: 'voucher.issued', data: { ...voucher, id: 'V-X', expiresOn: '2026-04-15T00:00:00Z' } },
      '[1].data.expiresOn',
    ],
    [
      'a value that is not a decimal string',
      { type: 'voucher.issued', data: { ...voucher, id: 'V-X', value: '10,00' } },
      '[1].data.value',
    ],
    [
      'a value finer than the currency',
      { type: 'voucher.issued', data: { ...voucher, id: 'V-X', value: '10.005' } },
      '[1].data.value',
    ],
    [
      'a currency that is not ISO 4217',
      { type: 'voucher.issued', data: { ...voucher, id: 'V-X', currency: 'EUX' } },
      '[1].data.currency',
    ],
    [
      'a value without its currency',
      { type: 'voucher.issued', data: { ...voucher, id: 'V-X', currency: undefined } },
      '[1].data.currency',
    ],
    [
      'a label on two lines',
      { type: 'card.registered', data: { ...card, id: 'C-X', label: 'Carte\nOr' } },
      '[1].data.label',
    ],
    [
      'a blank label',
      { type: 'voucher.issued', data: { ...voucher, id: 'V-X', label: '   ' } },
      '[1].data.label',
    ],
    [
      'a code with a NUL',
      { type: 'voucher.issued', data: { ...voucher, id: 'V-X', code: 'A\u0000B' } },
      '[1].data.code',
    ],
    [
      'a code with spaces around it',
      { type: 'voucher.issued', data: { ...voucher, id: 'V-X', code: ' AB ' } },
      '[1].data.code',
    ],
    [
      'a payment card not ending on its month',
      { type: 'card.registered', data: { ...card, id: 'C-X', kind: 'payment', expiresOn: '2026-10-01' } },
      '[1].data.expiresOn',
    ],
    [
      'an unknown schedule',
      { type: 'card.registered', data: { ...card, id: 'C-X', schedule: 'nope' } },
      '[1].data.schedule',
    ],
    [
      'an unknown contact',
      { type: 'points.credited', data: { ...lot, id: 'L-X', contactId: 'ghost' } },
      '[1].data.contactId',
    ],
    [
      'a card.renewed for an unknown card',
      { type: 'card.renewed', data: { cardId: 'NOPE', expiresOn: '2027-06-30' } },
      '[1].data.cardId',
    ],
    [
      'a card.removed for an unknown card',
      { type: 'card.removed', data: { cardId: 'V-1' } },
      '[1].data.cardId',
    ],
    [
      'a voucher.redeemed of an unknown voucher',
      { type: 'voucher.redeemed', data: { voucherId: 'NOPE' } },
      '[1].data.voucherId',
    ],
    [
      'a voucher.cancelled of an unknown voucher',
      { type: 'voucher.cancelled', data: { voucherId: 'CARD-1' } },
      '[1].data.voucherId',
    ],
    [
      'a points.used of an unknown lot',
      { type: 'points.used', data: { lotId: 'NOPE', points: 1 } },
      '[1].data.lotId',
    ],
    [
      'a points.used above what is left',
      { type: 'points.used', data: { lotId: 'LOT-1', points: 101 } },
      '[1].data.points',
    ],
  ])(
    'when an event has %s, then 400 naming its path and nothing of the batch is applied',
    async (_what, event, path) => {
      expect(await refused([event])).toEqual([path]);
    },
  );

  it('when a batch uses more points than the lot has left after its earlier events, then 400 on the one over, and the lot is untouched', async () => {
    const paths = await refused([
      { type: 'points.used', data: { lotId: 'LOT-1', points: 60 } },
      { type: 'points.used', data: { lotId: 'LOT-1', points: 50 } },
    ]);
    expect(paths).toEqual(['[2].data.points']);
    expect((await api.get('/v1/points/LOT-1')).body.lot).toMatchObject({ pointsLeft: 100, status: 'live' });
  });

  it('when a batch renews a card registered earlier in it, then it is accepted; with a date not after the current one, then 400', async () => {
    const ok = await api.post([
      { type: 'card.registered', data: { ...card, id: 'CARD-B' } },
      { type: 'card.renewed', data: { cardId: 'CARD-B', expiresOn: '2027-06-30' } },
    ]);
    expect(ok.status).toBe(202);
    expect((await api.get('/v1/cards/CARD-B')).body.card).toMatchObject({
      expiresOn: '2027-06-30',
      renewals: [expect.objectContaining({ from: '2026-06-30', to: '2027-06-30' }) as unknown],
    });
    expect(
      await refused([{ type: 'card.renewed', data: { cardId: 'CARD-1', expiresOn: '2026-01-31' } }]),
    ).toEqual(['[1].data.expiresOn']);
    expect(
      await refused([{ type: 'card.renewed', data: { cardId: 'PAY-1', expiresOn: '2027-10-15' } }]),
    ).toEqual(['[1].data.expiresOn']);
    expect((await api.get('/v1/cards/CARD-1')).body.card).toMatchObject({
      expiresOn: '2026-06-30',
      renewals: [],
    });
  });

  it('when a registration is sent again with other content, then 400 naming the differing fields; identical, then accepted once', async () => {
    const paths = await refused([
      { type: 'card.registered', data: { ...card, label: 'Carte Argent', expiresOn: '2026-07-31' } },
    ]);
    expect(paths).toEqual(['[1].data.expiresOn', '[1].data.label']);
    expect((await api.get('/v1/cards/CARD-1')).body.card).toMatchObject({ label: 'Carte Or' });
    const again = await api.post({ type: 'voucher.issued', data: { ...voucher } });
    expect(again.status).toBe(202);
    expect(again.body.results).toEqual([
      expect.objectContaining({
        status: 'accepted',
        note: expect.stringContaining('already registered') as unknown,
      }),
    ]);
  });

  it('when an event id is repeated with other data, then it is acknowledged as a duplicate and ignored', async () => {
    const res = await api.post({
      id: 'evt-card',
      type: 'card.registered',
      data: { ...card, label: 'Autre' },
    });
    expect(res.status).toBe(202);
    expect(res.body.results).toEqual([expect.objectContaining({ status: 'duplicate' })]);
    expect((await api.get('/v1/cards/CARD-1')).body.card).toMatchObject({ label: 'Carte Or' });
  });

  it('when a removed card is renewed, then it is acknowledged with a note and stays removed', async () => {
    await api.post({ type: 'card.registered', data: { ...card, id: 'CARD-R' } });
    await api.post({ type: 'card.removed', data: { cardId: 'CARD-R' } });
    const res = await api.post({ type: 'card.renewed', data: { cardId: 'CARD-R', expiresOn: '2027-06-30' } });
    expect(res.status).toBe(202);
    expect((await api.get('/v1/cards/CARD-R')).body.card).toMatchObject({
      expiresOn: '2026-06-30',
      status: 'ended',
      endedReason: 'cancelled',
    });
  });
});
