/**
 * How cards, vouchers and lots of points look on the wire: the fields of the event that
 * registered them (value as a decimal string, links by their event names), and where they stand.
 */
import { fromMinor } from '../domain/money';
import type { Item, ItemRenewal } from '../store/item-repository';

function standing(i: Item) {
  return {
    schedule: i.scheduleId,
    status: i.status,
    endedReason: i.endedReason,
  };
}

/** A card with its renewals, oldest first: the date each one left and the date it moved to. */
export function cardView(i: Item, renewals: readonly ItemRenewal[]) {
  return {
    id: i.id,
    contactId: i.contactId,
    kind: i.cardKind,
    label: i.label,
    expiresOn: i.expiresOn,
    renewUrl: i.url,
    renewals: renewals.map((r) => ({ from: r.fromExpiresOn, to: r.toExpiresOn, at: r.at })),
    ...standing(i),
  };
}

export function voucherView(i: Item) {
  return {
    id: i.id,
    contactId: i.contactId,
    code: i.code,
    label: i.label,
    value: i.valueMinor === null || i.currency === null ? null : fromMinor(i.valueMinor, i.currency),
    currency: i.currency,
    expiresOn: i.expiresOn,
    useUrl: i.url,
    ...standing(i),
  };
}

export function pointsLotView(i: Item) {
  return {
    id: i.id,
    contactId: i.contactId,
    label: i.label === '' ? null : i.label,
    points: i.pointsInitial,
    pointsLeft: i.pointsLeft,
    expiresOn: i.expiresOn,
    ...standing(i),
  };
}

/** Any item, with its kind: for lists that mix them (the contact export). */
export function itemView(i: Item, renewals: readonly ItemRenewal[]) {
  switch (i.kind) {
    case 'card':
      return { kind: 'card' as const, card: cardView(i, renewals) };
    case 'voucher':
      return { kind: 'voucher' as const, voucher: voucherView(i) };
    case 'points':
      return { kind: 'points' as const, lot: pointsLotView(i) };
  }
}
