/**
 * What a campaign page costs the embedded store, beside what the raw sink costs it:
 * `npm run bench:ledger [-- --pages 40]`.
 *
 * One PGlite store in a throw-away directory, migrated, with a contact for every recipient. Page
 * after page of 1,000 weekly offers (the real template rendered with its sample data, each
 * recipient's own copy), in the same run and alternating:
 *   - the sink's store work: the local outbox records the 1,000 emails of one SendGrid request
 *     (`recordAll`, what a request of the raw sink in `bench:campaign` costs the store);
 *   - the campaign's ledger work for the same page: its contacts locked and its rows written in
 *     one transaction, as a page prepares them, then the providers' answers recorded.
 * Prints the median of each, per page, and their ratio. `bench:campaign` measures the whole stack;
 * this isolates the two writes the campaign adds to every offer, with far less noise.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runDedupKey, runIdempotencyKey, runSequenceId } from '../activities/campaign-page-decider';
import { sqlOutboxStore, type OutboxRecord } from '../channels/outbox/outbox-store';
import { loadConfig } from '../config/load-config';
import { createTemplates } from '../runtime/engine';
import { lockContacts, recordRunResults, upsertRunRows, type RunRow } from '../store/campaign-page-store';
import { openDb } from '../store/db';
import { migrate } from '../store/migrate';
import { variableSets } from '../templates/variables';
import { Samples, timed } from './bench/stats';

const args = process.argv.slice(2);
const at = args.indexOf('--pages');
const PAGES = at >= 0 && Number(args[at + 1]) > 5 ? Number(args[at + 1]) : 40;
const WARM_UP = 5;
const PAGE = 1000;
const NOW = '2026-03-02T09:00:00.000Z';
const RUN = 'bench-weekly/2026-03-02';

const id = (i: number) => `m${String(i).padStart(7, '0')}`;

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'relance-bench-ledger-'));
  const db = await openDb(`pglite://${dir}`, { upkeepIntervalMs: null });
  try {
    await migrate(db);
    const templates = createTemplates(loadConfig());
    const sample = variableSets[templates.meta('weekly-offer').variables].sample;
    const mail = templates.render('weekly-offer', 'email', 'fr-FR', sample);
    const total = (PAGES + WARM_UP) * PAGE;
    for (let start = 0; start < total; start += PAGE)
      await db.query(
        `insert into contacts (id, email, first_name, locale, timezone, country)
         select 'm' || lpad(g::text, 7, '0'), 'm' || lpad(g::text, 7, '0') || '@example.com', 'Camille',
           'fr-FR', 'Europe/Paris', 'FR' from generate_series($1::int, $2::int) g`,
        [start, start + PAGE - 1],
      );
    console.log(
      `bench:ledger: ${PAGES} pages of ${PAGE} weekly offers (html ${mail.html?.length ?? 0} chars, text ${mail.text.length}), embedded PGlite`,
    );

    const outbox = sqlOutboxStore(db);
    const sink = new Samples(PAGES);
    const ledger = new Samples(PAGES);
    for (let page = 0; page < PAGES + WARM_UP; page += 1) {
      const ids = Array.from({ length: PAGE }, (_, k) => id(page * PAGE + k));
      const own = (contactId: string, body: string) => body.replace('Camille', `Camille ${contactId}`);
      const received: OutboxRecord[] = ids.map((contactId, k) => ({
        id: `sg-${page}.${k}`,
        channel: 'email',
        to: `sink.${contactId}@example.com`,
        from: 'offers@relance.test',
        subject: mail.subject ?? null,
        text: own(contactId, mail.text),
        html: own(contactId, mail.html ?? ''),
        headers: { 'List-Unsubscribe': `<https://relance.test/u/${contactId}>` },
        payload: {
          to: [{ email: `sink.${contactId}@example.com` }],
          custom_args: { relance_key: contactId },
        },
        idempotencyKey: `sink|${contactId}`,
        receivedAt: NOW,
      }));
      const rows: RunRow[] = ids.map((contactId) => ({
        idempotencyKey: runIdempotencyKey(RUN, contactId, 'email'),
        dedupKey: runDedupKey(RUN, 'email', `${contactId}@example.com`),
        sequenceId: runSequenceId(RUN),
        runId: RUN,
        channel: 'email',
        contactId,
        recipient: `${contactId}@example.com`,
        subjectIds: ['bench-weekly'],
        template: 'weekly-offer',
        locale: 'fr-FR',
        plannedAt: NOW,
        status: 'sending',
        reason: null,
        decision: [
          { rule: 'consent', ok: true, detail: 'marketing email consent granted (loyalty signup)' },
          { rule: 'cap', ok: true, detail: 'marketing email: 0 of 3 this week' },
          { rule: 'window', ok: true, detail: 'within the sending window' },
        ],
        deferredUntil: null,
        subject: mail.subject ?? null,
        text: own(contactId, mail.text),
        html: own(contactId, mail.html ?? ''),
      }));
      const warm = page < WARM_UP;
      const sinkWrite = () => outbox.recordAll(received);
      const ledgerWrite = async () => {
        const written = await db.transaction(async (tx) => {
          await lockContacts(tx, ids);
          return upsertRunRows(tx, rows, NOW);
        });
        await recordRunResults(
          db,
          written.map((w, k) => ({
            id: w.id,
            status: 'sent',
            provider: 'sendgrid',
            providerId: `sg-${page}.${k}`,
          })),
          NOW,
        );
      };
      if (warm) {
        await sinkWrite();
        await ledgerWrite();
      } else {
        await timed(sink, sinkWrite);
        await timed(ledger, ledgerWrite);
      }
    }
    const ms = (s: Samples) => s.at('wall', 0.5) / 1000;
    console.log(
      `  the sink's store work, a page of 1,000 received emails: ${ms(sink).toFixed(0)} ms (median)`,
    );
    console.log(
      `  the campaign's ledger work, the same page (contacts locked, rows written, answers recorded): ${ms(ledger).toFixed(0)} ms`,
    );
    console.log(`  ratio ledger / sink: ${(ms(ledger) / ms(sink)).toFixed(2)}`);
  } finally {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
