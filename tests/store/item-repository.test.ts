/**
 * The items store: what a card, a voucher and a lot of points become under registration, renewal,
 * ending and use of points, and what the send-time re-check answers for a sequence's date.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { upsertContact } from '../../store/contact-repository';
import {
  endItem,
  getItem,
  getItems,
  insertItem,
  renewalByEvent,
  renewalsOfItem,
  itemSubjectState,
  liveItemsOfContact,
  renewItem,
  usePoints,
  type NewItem,
} from '../../store/item-repository';
import { createTestDb, drivers, type TestDb } from '../helpers/db';

const at = '2026-03-02T08:00:00.000Z';
const later = '2026-03-05T08:00:00.000Z';
const card: NewItem = {
  kind: 'card',
  id: 'CARD-1',
  contactId: 'c1',
  cardKind: 'loyalty',
  label: 'Carte Fidélité Or',
  code: null,
  valueMinor: null,
  currency: null,
  pointsInitial: null,
  expiresOn: '2026-06-30',
  url: 'https://shop.example/renew',
  scheduleId: 'loyalty-card-expiry',
};
const voucher: NewItem = {
  ...card,
  kind: 'voucher',
  id: 'V-1',
  cardKind: null,
  label: "Bon d'achat de 10 €",
  code: 'SPRING10',
  valueMinor: 1000,
  currency: 'EUR',
  expiresOn: '2026-04-15',
  scheduleId: 'voucher-expiry',
};
const lot: NewItem = {
  ...card,
  kind: 'points',
  id: 'LOT-1',
  cardKind: null,
  label: '',
  url: null,
  pointsInitial: 500,
  expiresOn: '2026-05-31',
  scheduleId: 'points-expiry',
};

describe.each(drivers)('items store (%s)', (driver) => {
  let testDb: TestDb;
  afterEach(() => testDb.drop());

  async function freshDb() {
    testDb = await createTestDb(driver);
    await upsertContact(testDb.db, { id: 'c1', locale: 'fr-FR', timezone: 'Europe/Paris' }, at);
    return testDb.db;
  }

  it('when a card is registered, then it reads back live, generation 1; a second insert of its id changes nothing', async () => {
    const db = await freshDb();
    expect(await insertItem(db, card, at)).toBe(true);
    expect(await insertItem(db, { ...card, label: 'Other' }, at)).toBe(false);
    expect(await getItem(db, 'card', 'CARD-1')).toEqual({
      ...card,
      pointsLeft: null,
      status: 'live',
      endedReason: null,
      generation: 1,
    });
    expect(await getItem(db, 'voucher', 'CARD-1')).toBeUndefined();
  });

  it('when a voucher and a lot are stored, then the voucher keeps its value and code, the lot starts full', async () => {
    const db = await freshDb();
    await insertItem(db, voucher, at);
    await insertItem(db, lot, at);
    expect(await getItem(db, 'voucher', 'V-1')).toMatchObject({
      valueMinor: 1000,
      currency: 'EUR',
      code: 'SPRING10',
    });
    expect(await getItem(db, 'points', 'LOT-1')).toMatchObject({ pointsInitial: 500, pointsLeft: 500 });
  });

  it('when a card is renewed, then it has the new date and generation 2, and the old date reads as renewed', async () => {
    const db = await freshDb();
    await insertItem(db, card, at);
    const renewed = await renewItem(
      db,
      { kind: 'card', id: 'CARD-1', expiresOn: '2027-06-30', eventId: 'e-renew-1' },
      later,
    );
    expect(renewed).toMatchObject({ expiresOn: '2027-06-30', generation: 2, status: 'live' });
    if (!renewed) throw new Error('renewal changed nothing');
    expect(itemSubjectState(renewed, '2026-06-30')).toEqual({
      id: 'CARD-1',
      condition: 'settled',
      detail: 'renewed',
    });
    expect(itemSubjectState(renewed, '2027-06-30')).toEqual({ id: 'CARD-1', condition: 'open' });
  });

  it('when a card is renewed twice, then each renewal is found by its event with the date it left', async () => {
    const db = await freshDb();
    await insertItem(db, card, at);
    await renewItem(db, { kind: 'card', id: 'CARD-1', expiresOn: '2027-06-30', eventId: 'e1' }, at);
    await renewItem(db, { kind: 'card', id: 'CARD-1', expiresOn: '2028-06-30', eventId: 'e2' }, later);
    expect(await renewalByEvent(db, 'e2')).toEqual({
      eventId: 'e2',
      kind: 'card',
      id: 'CARD-1',
      fromExpiresOn: '2027-06-30',
      toExpiresOn: '2028-06-30',
      at: later,
    });
    expect((await renewalsOfItem(db, 'card', 'CARD-1')).map((r) => r.fromExpiresOn)).toEqual([
      '2026-06-30',
      '2027-06-30',
    ]);
    expect(await renewalByEvent(db, 'unknown')).toBeUndefined();
  });

  it('when a lapsed card is renewed, then it is live again; when a removed card is renewed, then nothing changes', async () => {
    const db = await freshDb();
    await insertItem(db, card, at);
    await insertItem(db, { ...card, id: 'CARD-2' }, at);
    await endItem(db, 'card', 'CARD-1', 'expired', at);
    await endItem(db, 'card', 'CARD-2', 'cancelled', at);
    expect(
      await renewItem(
        db,
        { kind: 'card', id: 'CARD-1', expiresOn: '2027-06-30', eventId: 'e-renew-1' },
        later,
      ),
    ).toMatchObject({
      status: 'live',
      endedReason: null,
      generation: 2,
    });
    expect(
      await renewItem(
        db,
        { kind: 'card', id: 'CARD-2', expiresOn: '2027-06-30', eventId: 'e-renew-2' },
        later,
      ),
    ).toBeUndefined();
    expect(await renewalByEvent(db, 'e-renew-2')).toBeUndefined();
    expect(await getItem(db, 'card', 'CARD-2')).toMatchObject({ expiresOn: '2026-06-30', generation: 1 });
  });

  it('when a voucher is redeemed twice, then the first ending stands and the sequence reads it as settled', async () => {
    const db = await freshDb();
    await insertItem(db, voucher, at);
    expect(await endItem(db, 'voucher', 'V-1', 'redeemed', at)).toBe(true);
    expect(await endItem(db, 'voucher', 'V-1', 'cancelled', later)).toBe(false);
    const item = await getItem(db, 'voucher', 'V-1');
    expect(item).toMatchObject({ status: 'ended', endedReason: 'redeemed' });
    if (!item) throw new Error('voucher missing');
    expect(itemSubjectState(item, '2026-04-15')).toEqual({
      id: 'V-1',
      condition: 'settled',
      detail: 'redeemed',
    });
  });

  it('when points are used, then the lot goes down; at 0 it ends as used and takes no more', async () => {
    const db = await freshDb();
    await insertItem(db, lot, at);
    expect(await usePoints(db, 'LOT-1', 200, at)).toMatchObject({ pointsLeft: 300, status: 'live' });
    expect(await usePoints(db, 'LOT-1', 300, later)).toMatchObject({
      pointsLeft: 0,
      status: 'ended',
      endedReason: 'used',
    });
    expect(await usePoints(db, 'LOT-1', 1, later)).toBeUndefined();
  });

  it('when more points are taken than are left, then the store refuses', async () => {
    const db = await freshDb();
    await insertItem(db, lot, at);
    await expect(usePoints(db, 'LOT-1', 501, at)).rejects.toThrow(/points_left/);
  });

  it('when a contact has items of several kinds, then its live ones list soonest first, by kind when asked', async () => {
    const db = await freshDb();
    await insertItem(db, card, at);
    await insertItem(db, voucher, at);
    await insertItem(db, { ...voucher, id: 'V-2', expiresOn: '2026-04-01' }, at);
    await insertItem(db, lot, at);
    await endItem(db, 'points', 'LOT-1', 'expired', at);
    expect((await liveItemsOfContact(db, 'c1')).map((i) => i.id)).toEqual(['V-2', 'V-1', 'CARD-1']);
    expect((await liveItemsOfContact(db, 'c1', 'voucher')).map((i) => i.id)).toEqual(['V-2', 'V-1']);
    expect((await getItems(db, 'voucher', ['V-1', 'V-2', 'CARD-1', 'nope'])).map((i) => i.id)).toEqual([
      'V-2',
      'V-1',
    ]);
  });

  it('when the store is asked to hold a card without a card kind, then it refuses', async () => {
    const db = await freshDb();
    await expect(insertItem(db, { ...card, cardKind: null }, at)).rejects.toThrow(/check constraint/);
  });
});
