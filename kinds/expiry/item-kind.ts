/**
 * The expiring kinds over the `items` table (cards, vouchers, lots of points) share this: the
 * send-time re-check under the contact lock (an item ended or renewed is `settled`), the same-day
 * merge of the contact's other live items due the same step, the dedup of an item a merged
 * message already listed, and the template data. Each kind's folder only names itself.
 */
import { DateTime } from 'luxon';
import type { RelanceConfig } from '../../config/schema';
import { addCalendarDays } from '../../domain/calendar';
import type { PolicyCheck, Purpose } from '../../domain/policy/types';
import {
  endItem,
  getItem,
  getItems,
  itemSubjectState,
  liveItemsOfContact,
  type Item,
  type ItemKind,
} from '../../store/item-repository';
import { coveringMessage } from '../../store/message-history';
import type { KindContext, LoadedSubjects } from '../kind';
import type { ExpiringKind, ExpiringSubject } from './expiring-kind';
import { itemTemplateData, localToday } from './item-lines';

export interface ItemKindDefinition {
  name: ItemKind;
  sequenceType: string;
  purpose: Purpose;
}

/** The date the sequence runs for and the step's own date, as the workflow sends them. */
function anchorOf(ctx: KindContext): { expiresOn: string; stepDate: string | undefined } {
  const extra = ctx.message.content.extra ?? {};
  const expiresOn = typeof extra.expiresOn === 'string' ? extra.expiresOn : '';
  const stepDate = typeof extra.stepDate === 'string' ? extra.stepDate : undefined;
  return { expiresOn, stepDate };
}

/** The contact-local day of `now`, as UTC bounds. */
function dayBounds(now: string, zone: string): { from: string; to: string } {
  const start = DateTime.fromISO(now, { zone }).startOf('day');
  return { from: start.toUTC().toISO() ?? now, to: start.plus({ days: 1 }).toUTC().toISO() ?? now };
}

/**
 * Whether `step` of the item's schedule falls on `today`. Calendar-day offsets only: an item on a
 * business-day schedule is never merged (its own sequence reminds of it).
 */
function stepFallsOn(config: RelanceConfig, item: Item, step: string, today: string): boolean {
  const offset = config.schedules[item.scheduleId]?.steps.find((s) => s.id === step)?.offset;
  return !!offset && 'days' in offset && addCalendarDays(item.expiresOn, offset.days) === today;
}

/** The contact's other live items of this kind and schedule whose same step falls today. */
async function sameDayItems(ctx: KindContext, own: Item, name: ItemKind): Promise<Item[]> {
  const today = localToday(ctx.now, ctx.contact.timezone);
  const live = await liveItemsOfContact(ctx.tx, ctx.contact.id, name);
  return live.filter(
    (item) =>
      item.id !== own.id &&
      item.scheduleId === own.scheduleId &&
      stepFallsOn(ctx.config, item, ctx.message.step, today),
  );
}

function toSubject(item: Item): ExpiringSubject {
  return {
    id: item.id,
    contactId: item.contactId,
    expiresOn: item.expiresOn,
    scheduleId: item.scheduleId,
    live: item.status === 'live',
    endedReason: item.endedReason,
  };
}

export function itemKind(definition: ItemKindDefinition): ExpiringKind {
  const { name } = definition;
  return {
    ...definition,

    async loadSubjects(ctx: KindContext): Promise<LoadedSubjects> {
      const { expiresOn, stepDate } = anchorOf(ctx);
      const own = await getItems(ctx.tx, name, ctx.message.content.subjectIds);
      const subjects = own.map((item) => itemSubjectState(item, expiresOn));
      const [first] = own;
      const open = first !== undefined && subjects.every((s) => s.condition === 'open');
      const merged =
        open && ctx.message.content.mergeSameDay ? [...own, ...(await sameDayItems(ctx, first, name))] : own;
      // A reminder before the date is worth sending until the end of the soonest date it lists;
      // a step after it (how to renew a lapsed card) has no such end.
      const preExpiry = stepDate === undefined || stepDate <= expiresOn;
      const soonest = merged.map((i) => i.expiresOn).sort()[0];
      return {
        subjects: [...subjects, ...merged.slice(own.length).map((i) => itemSubjectState(i, i.expiresOn))],
        subjectIds: merged.length > 0 ? merged.map((i) => i.id) : ctx.message.content.subjectIds,
        ...(preExpiry && soonest ? { validUntil: soonest } : {}),
        ...(ctx.message.purpose === 'marketing' ? { deferWhenCapped: true } : {}),
        loaded: merged,
      };
    },

    async coveredToday(ctx: KindContext): Promise<PolicyCheck | undefined> {
      const [itemId] = ctx.message.content.subjectIds;
      if (!ctx.message.content.mergeSameDay || !itemId) return undefined;
      const cover = await coveringMessage(ctx.tx, {
        contactId: ctx.contact.id,
        step: ctx.message.step,
        channel: ctx.message.channel,
        subjectId: itemId,
        ...dayBounds(ctx.now, ctx.contact.timezone),
        excludeSequence: ctx.message.sequenceId,
      });
      return cover
        ? {
            rule: 'dedup',
            ok: false,
            detail: `covered by message ${cover.id}, which listed ${cover.subjectIds.join(', ')}`,
          }
        : undefined;
    },

    templateData(ctx, loaded) {
      const items = (loaded.loaded as Item[]).filter((i) => i.status === 'live');
      return itemTemplateData(items, localToday(ctx.now, ctx.contact.timezone));
    },

    async subject(sql, id) {
      const item = await getItem(sql, name, id);
      return item ? toSubject(item) : undefined;
    },

    async lapse(sql, id, expiresOn, at) {
      const item = await getItem(sql, name, id);
      if (!item || item.expiresOn !== expiresOn) return false;
      return endItem(sql, name, id, 'expired', at);
    },
  };
}
