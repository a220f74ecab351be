/**
 * How cards, vouchers and lots of points look on the wire: the fields of the event that
 * registered them (value as a decimal string, links by their event names), and where they stand.
 */
import { fromMinor } from '../domain/money';
import type { Item } from '../store/item-repository';

function standing(i: Item) {
  return {
    schedule: i.scheduleId,
    status: i.status,
    endedReason: i.endedReason,
  };
}

export function cardView(i: Item) {
  return {
    id: i.id,
    contactId: i.contactId,
    kind: i.cardKind,
    label: i.label,
    expiresOn: i.expiresOn,
    renewUrl: i.url,
    renewals: i.generation - 1,
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
