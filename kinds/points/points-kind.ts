/**
 * Lots of loyalty points (contract §4): marketing by default, like vouchers. `points.credited`
 * starts a lot's sequence; `points.used` lowers it, and at 0 the sequence ends (`used`); the
 * reminders of a lot partly used say how many points are left.
 */
import { itemKind } from '../expiry/item-kind';

export const pointsKind = itemKind({ name: 'points', sequenceType: 'points-expiry', purpose: 'marketing' });

export const pointsEvents = {
  starts: { type: 'points.credited', idField: 'id' },
  signals: { 'points.used': 'lotId' },
} as const;
