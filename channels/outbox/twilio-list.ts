/**
 * Twilio's Messages list: newest first, filtered by To, From and DateSent (a date or a date-time;
 * `DateSent<` and `DateSent>` are inclusive, which is why Twilio's docs write them `<=`/`>=`),
 * paged with Page/PageSize and the `*_page_uri` fields the SDK follows to iterate.
 */
import type { OutboxRecord } from './outbox-store';
import { messageResource, messagesUri, type TwilioMessageResource } from './twilio-message';

type Query = Record<string, string | string[] | undefined>;

export interface TwilioMessagePage {
  messages: TwilioMessageResource[];
  uri: string;
  first_page_uri: string;
  next_page_uri: string | null;
  previous_page_uri: string | null;
  page: number;
  page_size: number;
  start: number;
  end: number;
}

const DEFAULT_PAGE_SIZE = 50;
const MAX_PAGE_SIZE = 1000;

function first(query: Query, key: string): string | undefined {
  const value = query[key];
  return Array.isArray(value) ? value[0] : value;
}

const isDateOnly = (s: string): boolean => /^\d{4}-\d{2}-\d{2}$/.test(s);

/** Compares a record's send time with a filter value at the filter's own precision. */
function compare(receivedAt: string, filter: string): number | undefined {
  if (isDateOnly(filter)) return receivedAt.slice(0, 10).localeCompare(filter);
  const at = Date.parse(filter);
  if (Number.isNaN(at)) return undefined;
  // Twilio date-times have second precision.
  return Math.floor(Date.parse(receivedAt) / 1000) - Math.floor(at / 1000);
}

function matches(record: OutboxRecord, query: Query): boolean {
  const to = first(query, 'To');
  const from = first(query, 'From');
  if (to && record.to !== to) return false;
  if (from && record.from !== from) return false;
  const checks: [string, (c: number) => boolean][] = [
    ['DateSent', (c) => c === 0],
    ['DateSent<', (c) => c <= 0],
    ['DateSent>', (c) => c >= 0],
  ];
  return checks.every(([key, ok]) => {
    const value = first(query, key);
    if (!value) return true;
    const c = compare(record.receivedAt, value);
    return c !== undefined && ok(c);
  });
}

function pageUri(accountSid: string, query: Query, page: number, pageSize: number): string {
  const params = new URLSearchParams();
  for (const key of ['To', 'From', 'DateSent', 'DateSent<', 'DateSent>']) {
    const value = first(query, key);
    if (value) params.set(key, value);
  }
  params.set('PageSize', String(pageSize));
  params.set('Page', String(page));
  return `${messagesUri(accountSid)}.json?${params.toString()}`;
}

export function listPage(records: OutboxRecord[], query: Query, accountSid: string): TwilioMessagePage {
  const requestedSize = Number(first(query, 'PageSize') ?? DEFAULT_PAGE_SIZE);
  const pageSize =
    Number.isInteger(requestedSize) && requestedSize > 0
      ? Math.min(requestedSize, MAX_PAGE_SIZE)
      : DEFAULT_PAGE_SIZE;
  const requestedPage = Number(first(query, 'Page') ?? 0);
  const page = Number.isInteger(requestedPage) && requestedPage >= 0 ? requestedPage : 0;
  const selected = records.filter((r) => matches(r, query)).reverse();
  const start = page * pageSize;
  const slice = selected.slice(start, start + pageSize);
  return {
    messages: slice.map((r) => messageResource(r, accountSid, 'sent')),
    uri: pageUri(accountSid, query, page, pageSize),
    first_page_uri: pageUri(accountSid, query, 0, pageSize),
    next_page_uri: start + pageSize < selected.length ? pageUri(accountSid, query, page + 1, pageSize) : null,
    previous_page_uri: page > 0 ? pageUri(accountSid, query, page - 1, pageSize) : null,
    page,
    page_size: pageSize,
    start,
    end: start + Math.max(slice.length, 1) - 1,
  };
}
