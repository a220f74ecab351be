/**
 * Luxon asks the platform (Intl.DateTimeFormat.formatToParts) for a zone's UTC offset each time it
 * places an instant in a zone, and a campaign page places the same few instants (now, the start of
 * today, of this week) in the same zone for a thousand recipients: a tenth of a page's time went
 * there. The offset at an instant never changes, so each zone remembers its answers per second
 * (Luxon itself reads the offset to the second), a bounded number of them.
 */
import { IANAZone } from 'luxon';
import { answersOf, remembered } from './remembered';

const KEPT_PER_ZONE = 4096;
const answers = new WeakMap<IANAZone, Map<number, number>>();
const platformOffset = IANAZone.prototype.offset; // eslint-disable-line @typescript-eslint/unbound-method

function rememberedOffset(this: IANAZone, ts: number): number {
  const known = answersOf(answers, this, () => new Map<number, number>());
  return remembered(known, Math.floor(ts / 1000), KEPT_PER_ZONE, () => platformOffset.call(this, ts));
}

if (IANAZone.prototype.offset !== rememberedOffset) IANAZone.prototype.offset = rememberedOffset;
