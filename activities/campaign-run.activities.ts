/**
 * The activities of a campaign run (workflows/campaign-run.workflow.ts). A page is prepared in
 * one transaction: it selects up to 1,000 recipients, gathers what the policy needs for all of
 * them with a few set-based queries, decides each with `decide()`, renders and writes the ledger
 * rows in bulk (`sending` for those to send); then it is sent: handed to the providers, their
 * answers recorded in bulk. An activity takes a few pages, the next prepared while one is sent
 * (campaign-run-batch.ts). A retried page (after a crash or a provider fault) finds its rows
 * by idempotency key: what was accepted is not sent again, what was left `sending` is first
 * confirmed with the provider.
 */
import { DateTime } from 'luxon';
import { ApplicationFailure } from '@temporalio/activity';
import type { CampaignDefinition } from '../domain/campaign';
import { ErrorCode } from '../domain/errors';
import type { Channel } from '../domain/policy/types';
import { recipientSendAt } from '../domain/recurrence';
import { remembered } from '../domain/remembered';
import { lockCampaign } from '../store/campaign-repository';
import {
  closeWaitingRunRows,
  consentsOf,
  dueContacts,
  earlierSends,
  escalationsOf,
  historiesOf,
  lockContacts,
  nextDueAt,
  recordRunResults,
  rowsByKey,
  suppressedAmong,
  upsertRunRows,
  type RunRow,
} from '../store/campaign-page-store';
import type { Contact } from '../store/contact-repository';
import type { Sql } from '../store/db';
import { selectSegmentPage } from '../store/segment-query';
import {
  planPage,
  runDedupKey,
  runIdempotencyKey,
  type PageContext,
  type PageFacts,
} from './campaign-page-decider';
import { inBatches } from './campaign-run-batch';
import { phaseClock } from './phase-clock';
import { confirmRows, sendRows } from './campaign-send';
import { activityNow, type ActivityDeps } from './deps';
import { baseData } from './message-content';
import { historyHorizonDays, recipientOf } from './policy-context';

export interface RunPageInput {
  campaignId: string;
  runId: string;
  /** The run's local date (YYYY-MM-DD) and the instant it opened. */
  date: string;
  opensAt: string;
  /** `audience`: the next page after `after` (contact id); `due`: waiting recipients now due. */
  source: { kind: 'audience'; after: string | null } | { kind: 'due' };
  pageSize: number;
  /** Audience pages this activity may take one after the other (campaign-run-batch.ts); 1 if absent. */
  maxPages?: number;
}

export interface RunPageResult {
  /** The campaign was paused or cancelled: nothing was sent, the run's waiting rows are closed. */
  stopped: 'paused' | 'cancelled' | null;
  /** Audience: the cursor of the next page, null after the last. Due: whether a full page was taken. */
  next: string | null;
  more: boolean;
  /** When the run's next waiting recipient is due (null: none waiting, or not asked while the audience has more pages). */
  nextDueAt: string | null;
  counts: { decided: number; sent: number; deferred: number; suppressed: number; failed: number };
  /** How many pages the activity took (absent: one). */
  pages?: number;
}

async function pageIds(tx: Sql, input: RunPageInput, definition: CampaignDefinition, now: string) {
  if (input.source.kind === 'due') return dueContacts(tx, input.runId, now, input.pageSize);
  const after = input.source.after;
  if (definition.segment) {
    return (await selectSegmentPage(tx, definition.segment, { after, limit: input.pageSize })).ids;
  }
  const ids = [...new Set(definition.contactIds ?? [])].sort();
  return ids.filter((id) => after === null || id > after).slice(0, input.pageSize);
}

async function loadFacts(
  tx: Sql,
  deps: ActivityDeps,
  ids: string[],
  channels: Channel[],
  runId: string,
  now: string,
): Promise<PageFacts> {
  const contacts = await lockContacts(tx, ids);
  const live = contacts.map((c) => c.id);
  const addresses = contacts.flatMap((c) =>
    channels.flatMap((channel) => {
      const address = recipientOf(c, channel).address;
      return address ? [{ channel, address }] : [];
    }),
  );
  const since =
    DateTime.fromISO(now)
      .minus({ days: historyHorizonDays(deps.config) })
      .toUTC()
      .toISO() ?? now;
  const keys = contacts.flatMap((c) => channels.map((channel) => runIdempotencyKey(runId, c.id, channel)));
  const dedup = contacts.flatMap((c) =>
    channels.map((channel) => runDedupKey(runId, channel, recipientOf(c, channel).address)),
  );
  // One after the other: the queries share the page's transaction (one connection).
  const consents = await consentsOf(tx, live);
  const suppressed = await suppressedAmong(tx, addresses);
  const histories = await historiesOf(tx, live, since);
  const earlier = await earlierSends(tx, dedup);
  const escalations = await escalationsOf(tx, live);
  const existing = await rowsByKey(tx, keys);
  return { contacts, consents, suppressed, histories, earlier, escalations, existing };
}

function pageContext(
  deps: ActivityDeps,
  input: RunPageInput,
  definition: CampaignDefinition,
  now: string,
): PageContext {
  const { recurrence } = definition;
  return {
    campaignId: input.campaignId,
    runId: input.runId,
    template: definition.template,
    channels: definition.channels,
    validUntil: definition.content.validUntil ?? null,
    now,
    plannedAt: (contact) =>
      recurrence ? recipientSendAt(recurrence, input.date, contact.timezone) : input.opensAt,
    locale: (contact, channel) => deps.templates.resolveLocale(definition.template, channel, contact.locale),
    policy: deps.config.policy,
    calendar: deps.calendar,
  };
}

/** Renders each row to send; a template that cannot render fails its row (and is logged). */
function renderRows(
  deps: ActivityDeps,
  rows: RunRow[],
  contacts: Map<string, Contact>,
  definition: CampaignDefinition,
) {
  const offer = { ...definition.content, validUntil: definition.content.validUntil ?? null };
  return rows.map((row): RunRow => {
    const contact = contacts.get(row.contactId);
    if (row.status !== 'sending' || !contact) return row;
    try {
      const locale = row.locale ?? contact.locale;
      const data = {
        ...baseData(contact, deps.config, locale),
        offer,
        unsubscribeUrl: deps.unsubscribeUrl(contact.id, row.channel),
      };
      const rendered = deps.templates.render(row.template, row.channel, locale, data);
      return { ...row, subject: rendered.subject ?? null, text: rendered.text, html: rendered.html ?? null };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      deps.logger.error({ template: row.template, error: message }, 'campaign message cannot be rendered');
      return { ...row, status: 'failed', error: message };
    }
  });
}

/**
 * The deps of one page, its unsubscribe links signed once per recipient and channel: the body's
 * link and the List-Unsubscribe header are then the same link, and a page signs 1,000, not 2,000.
 */
function withPageLinks(deps: ActivityDeps): ActivityDeps {
  const links = new Map<string, string>(); // one page's, gone with it: no bound needed
  const unsubscribeUrl: ActivityDeps['unsubscribeUrl'] = (contactId, channel) =>
    remembered(links, `${contactId}|${channel}`, Number.POSITIVE_INFINITY, () =>
      deps.unsubscribeUrl(contactId, channel),
    );
  return { ...deps, unsubscribeUrl };
}

function tally(rows: readonly { status: string }[]): RunPageResult['counts'] {
  const n = (status: string) => rows.filter((r) => r.status === status).length;
  return {
    decided: rows.length,
    sent: 0,
    deferred: n('deferred'),
    suppressed: n('suppressed'),
    failed: n('failed'),
  };
}

export function createCampaignRunActivities(deps: ActivityDeps) {
  const { db } = deps;

  /** Phase one of a page, in one transaction: the rows written, those to send, those to confirm. */
  function preparePage(input: RunPageInput, now: string, pageDeps: ActivityDeps) {
    return db.transaction(async (tx) => {
      const campaign = await lockCampaign(tx, input.campaignId);
      if (!campaign)
        throw ApplicationFailure.nonRetryable(`Campaign ${input.campaignId} not found`, ErrorCode.NotFound);
      if (campaign.status === 'paused' || campaign.status === 'cancelled') {
        await closeWaitingRunRows(tx, input.runId, now);
        return {
          stopped: campaign.status,
          written: [],
          confirm: [],
          contacts: new Map(),
          ids: [] as string[],
        };
      }
      const definition = campaign.definition;
      const t = phaseClock();
      const ids = await pageIds(tx, input, definition, now);
      t.lap('select');
      const facts = await loadFacts(tx, deps, ids, definition.channels, input.runId, now);
      t.lap('facts');
      const plan = planPage(facts, pageContext(deps, input, definition, now));
      t.lap('plan');
      const contacts = new Map(facts.contacts.map((c) => [c.id, c]));
      const rendered = renderRows(pageDeps, plan.rows, contacts, definition);
      t.lap('render');
      const written = await upsertRunRows(tx, rendered, now, facts.existing);
      t.lap('upsert');
      deps.logger.debug({ runId: input.runId, ms: t.report() }, 'campaign page prepared');
      return { stopped: null, written, confirm: plan.confirm, contacts, ids };
    });
  }

  type Prepared = { input: RunPageInput; now: string; pageDeps: ActivityDeps } & Awaited<
    ReturnType<typeof preparePage>
  >;

  /** The first half of a page (≤ pageSize recipients): decided, rendered, rows written. */
  async function prepare(input: RunPageInput): Promise<Prepared> {
    const [now, pageDeps] = [activityNow(deps.clock), withPageLinks(deps)];
    return { input, now, pageDeps, ...(await preparePage(input, now, pageDeps)) };
  }

  /** The cursor of the audience page after this one (null: the last page, or the run stopped). */
  const next = (page: Prepared): string | null =>
    !page.stopped && page.input.source.kind === 'audience' && page.ids.length === page.input.pageSize
      ? (page.ids[page.ids.length - 1] ?? null)
      : null;

  /** The second half: the page sent and the answers recorded. */
  async function send(page: Prepared): Promise<RunPageResult> {
    const { input, now, pageDeps } = page;
    if (page.stopped)
      return { stopped: page.stopped, next: null, more: false, nextDueAt: null, counts: tally([]) };
    const confirmed = await confirmRows(deps, page.confirm);
    await recordRunResults(db, confirmed, now);
    const toSend = page.written.filter((row) => row.status === 'sending');
    const t = phaseClock();
    const { results, fault } = await sendRows(pageDeps, toSend, page.contacts);
    t.lap('send');
    await recordRunResults(db, results, now);
    t.lap('record');
    // Temporal retries the page; its rows say what is left.
    if (fault !== undefined) throw fault instanceof Error ? fault : new Error(JSON.stringify(fault));
    const counts = tally(page.written);
    counts.sent =
      results.filter((r) => r.status === 'sent').length + confirmed.filter((r) => r.status === 'sent').length;
    counts.failed += results.filter((r) => r.status === 'failed').length;
    const cursor = next(page);
    // Read only by the due phase: an audience page with more to come does not ask (a scan of the run's rows).
    const dueAt = cursor !== null ? null : await nextDueAt(db, input.runId, now);
    t.lap('nextDue');
    deps.logger.debug({ runId: input.runId, ms: t.report() }, 'campaign page sent');
    return {
      stopped: null,
      next: cursor,
      more: input.source.kind === 'due' && page.ids.length === input.pageSize,
      nextDueAt: dueAt,
      counts,
    };
  }

  return {
    /**
     * Pages of a campaign run (up to `maxPages` of the audience, one of the due phase).
     * Start-to-close 10 minutes with a 2-minute heartbeat (SMS wait for their sender's rate);
     * retried on provider faults without resending anything the provider accepted.
     */
    campaignRunPage: inBatches({ prepare, next, send }),
  };
}
