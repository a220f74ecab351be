/**
 * Cards, vouchers and lots of points through the real API (port 0, real database): accepted
 * events show in GET /v1/cards/{id}, /v1/vouchers/{id} and /v1/points/{lotId}, with their
 * sequences (newest first) and the messages about them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertAttempt } from '../../store/ledger-repository';
import { saveSequence } from '../../store/sequence-repository';
import { drivers } from '../helpers/db';
import { marie } from '../helpers/engine';
import { issuePaths, startItemApi, type ItemApi } from '../helpers/item-api';

const card = {
  id: 'CARD-1',
  contactId: 'c1',
  kind: 'loyalty',
  label: 'Carte Fidélité Or',
  expiresOn: '2026-06-30',
  renewUrl: 'https://shop.example/carte',
};
const voucher = {
  id: 'V-1',
  contactId: 'c1',
  code: 'PRINTEMPS10',
  label: "Bon d'achat de 10 €",
  value: '10',
  currency: 'EUR',
  expiresOn: '2026-04-15',
  useUrl: 'https://shop.example/bon',
};
const lot = { id: 'LOT-1', contactId: 'c1', points: 500, expiresOn: '2026-05-31' };

describe.each(drivers)('the items API (%s)', (driver) => {
  let api: ItemApi;
  beforeAll(async () => {
    api = await startItemApi(driver);
    expect((await api.post({ id: 'evt-c1', type: 'contact.upserted', data: marie })).status).toBe(202);
  });
  afterAll(() => api.close());

  it('when a card, a voucher and a lot are registered, then each reads back live, with no sequence or message yet', async () => {
    const res = await api.post([
      { type: 'card.registered', data: card },
      { type: 'voucher.issued', data: voucher },
      { type: 'points.credited', data: lot },
    ]);
    expect(res.status).toBe(202);
    expect(await api.get('/v1/cards/CARD-1')).toEqual({
      status: 200,
      body: {
        card: {
          id: 'CARD-1',
          contactId: 'c1',
          kind: 'loyalty',
          label: 'Carte Fidélité Or',
          expiresOn: '2026-06-30',
          renewUrl: 'https://shop.example/carte',
          renewals: [],
          schedule: 'loyalty-card-expiry',
          status: 'live',
          endedReason: null,
        },
        sequence: null,
        sequences: [],
        messages: [],
      },
    });
    expect((await api.get('/v1/vouchers/V-1')).body.voucher).toMatchObject({
      code: 'PRINTEMPS10',
      value: '10.00',
      currency: 'EUR',
      useUrl: 'https://shop.example/bon',
      schedule: 'voucher-expiry',
      status: 'live',
    });
    expect((await api.get('/v1/points/LOT-1')).body.lot).toMatchObject({
      points: 500,
      pointsLeft: 500,
      label: null,
      schedule: 'points-expiry',
    });
  });

  it('when points are used in two batches, then the lot goes down, and at 0 it has ended as used', async () => {
    await api.post({ type: 'points.credited', data: { ...lot, id: 'LOT-2', points: 100 } });
    await api.post({ type: 'points.used', data: { lotId: 'LOT-2', points: 60 } });
    expect((await api.get('/v1/points/LOT-2')).body.lot).toMatchObject({ pointsLeft: 40, status: 'live' });
    await api.post({ type: 'points.used', data: { lotId: 'LOT-2', points: 40 } });
    expect((await api.get('/v1/points/LOT-2')).body.lot).toMatchObject({
      pointsLeft: 0,
      status: 'ended',
      endedReason: 'used',
    });
  });

  it('when a voucher is redeemed twice, then both are acknowledged, the second with a note, and it stays redeemed', async () => {
    await api.post({ type: 'voucher.issued', data: { ...voucher, id: 'V-2' } });
    const first = await api.post({ type: 'voucher.redeemed', data: { voucherId: 'V-2' } });
    const second = await api.post({ type: 'voucher.cancelled', data: { voucherId: 'V-2' } });
    expect([first.status, second.status]).toEqual([202, 202]);
    expect(second.body.results).toEqual([
      expect.objectContaining({
        status: 'accepted',
        note: expect.stringContaining('already ended (redeemed)') as unknown,
      }),
    ]);
    expect((await api.get('/v1/vouchers/V-2')).body.voucher).toMatchObject({
      status: 'ended',
      endedReason: 'redeemed',
    });
  });

  it('when a card is renewed, then it reads with the new date, and its sequences list newest first', async () => {
    await api.post({ type: 'card.registered', data: { ...card, id: 'CARD-2' } });
    expect(
      (await api.post({ type: 'card.renewed', data: { cardId: 'CARD-2', expiresOn: '2027-06-30' } })).status,
    ).toBe(202);
    // The workflows write the projection; here it is written as they would.
    const seq = (expiresOn: string, startedAt: string, status: 'running' | 'completed') => ({
      id: `card-expiry/CARD-2/${expiresOn}`,
      type: 'card-expiry',
      subjectId: 'CARD-2',
      contactId: 'c1',
      status,
      stage: null,
      outcome: status === 'completed' ? 'renewed' : null,
      pausedReason: null,
      nextStep: null,
      nextAt: null,
      steps: [],
      escalation: 0,
      startedAt,
      updatedAt: startedAt,
    });
    await saveSequence(api.testDb.db, seq('2026-06-30', '2026-03-02T09:00:00.000Z', 'completed'));
    await saveSequence(api.testDb.db, seq('2027-06-30', '2026-03-05T09:00:00.000Z', 'running'));
    const got = await api.get('/v1/cards/CARD-2');
    expect(got.body.card).toMatchObject({
      expiresOn: '2027-06-30',
      renewals: [{ from: '2026-06-30', to: '2027-06-30', at: expect.any(String) as unknown }],
      status: 'live',
    });
    expect((got.body.sequences as { id: string }[]).map((s) => s.id)).toEqual([
      'card-expiry/CARD-2/2027-06-30',
      'card-expiry/CARD-2/2026-06-30',
    ]);
    expect(got.body.sequence).toMatchObject({ id: 'card-expiry/CARD-2/2027-06-30', status: 'running' });
  });

  it('when messages name the voucher, then its answer lists those of voucher sequences only', async () => {
    await api.post({ type: 'voucher.issued', data: { ...voucher, id: 'SAME-ID' } });
    const message = (sequenceType: string, step: string) =>
      insertAttempt(
        api.testDb.db,
        {
          idempotencyKey: `${sequenceType}/${step}`,
          dedupKey: `${sequenceType}/${step}`,
          sequenceId: `${sequenceType}/SAME-ID`,
          sequenceType,
          step,
          channel: 'email',
          purpose: 'marketing',
          contactId: 'c1',
          recipient: 'marie@example.com',
          subjectIds: ['SAME-ID'],
          template: null,
          locale: 'fr-FR',
          plannedAt: '2026-04-01T08:00:00.000Z',
        },
        { status: 'sent', subject: 'Votre bon expire bientôt' },
      );
    await message('voucher-expiry', 'expiry-14');
    await message('invoice-dunning', 'pre-due');
    const messages = (await api.get('/v1/vouchers/SAME-ID')).body.messages as Record<string, unknown>[];
    expect(messages).toEqual([
      expect.objectContaining({
        step: 'expiry-14',
        channel: 'email',
        to: 'marie@example.com',
        status: 'sent',
      }),
    ]);
  });

  it('when the contact is exported, then its items come with it, and the events about them', async () => {
    const res = await api.get('/v1/contacts/c1/export');
    expect(res.status).toBe(200);
    const items = res.body.items as { kind: string }[];
    expect(items).toContainEqual({
      kind: 'card',
      card: expect.objectContaining({
        id: 'CARD-2',
        renewals: [expect.objectContaining({ from: '2026-06-30', to: '2027-06-30' })],
      }) as unknown,
    });
    expect(items).toContainEqual({
      kind: 'points',
      lot: expect.objectContaining({ id: 'LOT-2', pointsLeft: 0 }) as unknown,
    });
    const events = res.body.events as { type: string; data: Record<string, unknown> }[];
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'card.renewed', data: { cardId: 'CARD-2', expiresOn: '2027-06-30' } }),
    );
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'voucher.redeemed', data: { voucherId: 'V-2' } }),
    );
  });

  it('when an id is unknown, then 404; when it is malformed, then 400 naming the parameter', async () => {
    for (const path of ['/v1/cards/NOPE', '/v1/vouchers/NOPE', '/v1/points/NOPE', '/v1/cards/V-1']) {
      const res = await api.get(path);
      expect({ path, status: res.status, error: res.body.error }).toEqual({
        path,
        status: 404,
        error: 'NOT_FOUND',
      });
    }
    const bad = await api.get('/v1/points/a%00b');
    expect(bad.status).toBe(400);
    expect(issuePaths(bad.body)).toEqual(['params.lotId']);
    expect(issuePaths((await api.get('/v1/cards/a%00b')).body)).toEqual(['params.id']);
  });

  it('when the contact is erased, then its items end as erased and lose their label, code and links', async () => {
    await api.post([
      { type: 'contact.upserted', data: { ...marie, id: 'c9' } },
      { type: 'card.registered', data: { ...card, id: 'CARD-9', contactId: 'c9' } },
      { type: 'voucher.issued', data: { ...voucher, id: 'V-9', contactId: 'c9' } },
    ]);
    expect((await api.post({ type: 'contact.erased', data: { contactId: 'c9' } })).status).toBe(202);
    expect((await api.get('/v1/cards/CARD-9')).body.card).toMatchObject({
      label: '[erased]',
      renewUrl: null,
      expiresOn: '2026-06-30',
      status: 'ended',
      endedReason: 'erased',
    });
    expect((await api.get('/v1/vouchers/V-9')).body.voucher).toMatchObject({
      code: null,
      label: '[erased]',
      useUrl: null,
      value: '10.00',
      endedReason: 'erased',
    });
    const [stored] = await api.testDb.db.query<{ data: Record<string, unknown> }>(
      `select data from events where type = 'voucher.issued' and data->>'id' = 'V-9'`,
    );
    expect(stored?.data).toMatchObject({
      code: '[erased]',
      label: '[erased]',
      useUrl: '[erased]',
      value: '10',
    });
  });

  it('when a card of the erased contact is renewed afterwards, then it is acknowledged and changes nothing', async () => {
    const res = await api.post({ type: 'card.renewed', data: { cardId: 'CARD-9', expiresOn: '2027-06-30' } });
    expect(res.status).toBe(202);
    expect((await api.get('/v1/cards/CARD-9')).body.card).toMatchObject({
      expiresOn: '2026-06-30',
      renewals: [],
    });
  });
});
