/**
 * Vouchers (contract §4): marketing by default (a reminder to spend is a commercial message: it
 * needs marketing consent and counts against the marketing caps, but is deferred rather than
 * dropped while it can still arrive in time). `voucher.issued` starts a sequence;
 * `voucher.redeemed` ends it (`redeemed`), `voucher.cancelled` (`cancelled`).
 */
import { itemKind } from '../expiry/item-kind';

export const voucherKind = itemKind({
  name: 'voucher',
  sequenceType: 'voucher-expiry',
  purpose: 'marketing',
});

export const voucherEvents = {
  starts: { type: 'voucher.issued', idField: 'id' },
  signals: { 'voucher.redeemed': 'voucherId', 'voucher.cancelled': 'voucherId' },
} as const;
