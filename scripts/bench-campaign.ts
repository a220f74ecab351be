/**
 * How fast a segment campaign reaches its audience: `npm run bench:campaign [-- --recipients 100000]`.
 *
 * Starts the default embedded stack (`npm start`'s PGlite, dev server, worker, API and outbox) in
 * a throw-away directory and posts N gold-tier contacts with marketing email consent (setup, not
 * timed). Then, in the same run:
 *   1. the raw sink: the same N personalized emails (the weekly-offer template as the API
 *      previews it, each recipient's own copy as substitutions, as the campaign batcher sends
 *      them) posted straight to the local outbox with the real @sendgrid/mail SDK, in requests of
 *      1,000 personalizations, two at a time;
 *   2. the campaign: one segment campaign due now (`POST /v1/campaigns`), timed from the request
 *      to the last offer in the outbox (polled with `GET /_outbox/count`).
 * Prints offers per second, the raw sink rate, their ratio and the peak RSS of the stack, and
 * whether each target is met: N = 100,000 in ≤ 60 s, ratio ≥ 0.3, peak RSS ≤ 1.5 GiB.
 */
import { Client } from '@sendgrid/client';
import { MailService, type MailDataRequired } from '@sendgrid/mail';
import { OUTBOX_SENDGRID_KEY } from '../runtime/channels';
import { startBenchStack, type BenchStack } from './bench/stack';

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const at = args.indexOf(`--${name}`);
  const value = at >= 0 ? Number(args[at + 1]) : fallback;
  return Number.isInteger(value) && value > 0 ? value : fallback;
};
const RECIPIENTS = option('recipients', 100_000);
const TIMEOUT_S = option('timeout', 1800);
const EVENTS_PER_REQUEST = 1000;
const PERSONALIZATIONS = 1000;
const CAMPAIGN_ID = 'bench-weekly-gold';
const TARGET = { seconds: 60, ratio: 0.3, rssBytes: 1.5 * 2 ** 30 };

const contactId = (i: number) => `m${String(i).padStart(7, '0')}`;

async function postContacts(stack: BenchStack): Promise<void> {
  for (let start = 0; start < RECIPIENTS; start += EVENTS_PER_REQUEST / 2) {
    const ids = Array.from({ length: Math.min(EVENTS_PER_REQUEST / 2, RECIPIENTS - start) }, (_, k) =>
      contactId(start + k),
    );
    await stack.post(
      '/v1/events',
      ids.flatMap((id) => [
        {
          id: `bench-contact-${id}`,
          type: 'contact.upserted',
          data: {
            id,
            firstName: 'Camille',
            email: `${id}@example.com`,
            locale: 'fr-FR',
            timezone: 'Europe/Paris',
            country: 'FR',
            tags: ['loyalty'],
            attributes: { tier: 'gold' },
          },
        },
        {
          id: `bench-consent-${id}`,
          type: 'contact.consent',
          data: {
            contactId: id,
            channel: 'email',
            purpose: 'marketing',
            granted: true,
            source: 'loyalty signup',
          },
        },
      ]),
    );
  }
}

async function outboxCount(stack: BenchStack): Promise<number> {
  const res = await fetch(`${stack.outboxUrl}/_outbox/count?channel=email`);
  return ((await res.json()) as { count: number }).count;
}

/** Polls the outbox until it holds `target` emails; the instant it first did. */
async function waitForOutbox(stack: BenchStack, target: number, started: number, what: string) {
  let count = await outboxCount(stack);
  let lastLog = performance.now();
  while (count < target) {
    const elapsed = (performance.now() - started) / 1000;
    if (elapsed > TIMEOUT_S) throw new Error(`only ${count} of ${target} ${what} after ${TIMEOUT_S} s`);
    await new Promise((r) => setTimeout(r, 250));
    count = await outboxCount(stack);
    if (performance.now() - lastLog > 10_000) {
      lastLog = performance.now();
      console.log(`    … ${count} of ${target} after ${elapsed.toFixed(0)} s`);
    }
  }
  return performance.now();
}

interface Preview {
  subject: string;
  text: string;
  html: string;
}

/** The raw sink: N personalized emails straight to the outbox with the SendGrid SDK. */
async function rawSink(stack: BenchStack, preview: Preview): Promise<number> {
  const client = new Client();
  client.setApiKey(OUTBOX_SENDGRID_KEY);
  client.setDefaultRequest('baseUrl', `${stack.outboxUrl}/`);
  const mail = new MailService();
  mail.setClient(client);
  mail.setSubstitutionWrappers('[%', '%]');
  const request = (start: number): MailDataRequired => ({
    from: { email: 'offers@relance.test', name: 'Relance' },
    subject: preview.subject,
    text: '[%text%]',
    html: '[%html%]',
    categories: ['campaign', 'offer'],
    personalizations: Array.from({ length: Math.min(PERSONALIZATIONS, RECIPIENTS - start) }, (_, k) => {
      const id = contactId(start + k);
      return {
        to: [{ email: `sink.${id}@example.com`, name: `Camille ${id}` }],
        subject: `${preview.subject} ${id}`,
        headers: { 'List-Unsubscribe': `<https://relance.test/u/${id}>` },
        substitutions: {
          text: preview.text.replace('Camille', `Camille ${id}`),
          html: preview.html.replace('Camille', `Camille ${id}`),
        },
        customArgs: { relance_key: `sink|${id}` },
      };
    }),
  });
  const before = await outboxCount(stack);
  const started = performance.now();
  const starts = Array.from(
    { length: Math.ceil(RECIPIENTS / PERSONALIZATIONS) },
    (_, i) => i * PERSONALIZATIONS,
  );
  // Two requests in flight, as the campaign's batcher may have.
  const lanes = [0, 1].map(async (lane) => {
    for (let i = lane; i < starts.length; i += 2) await mail.send(request(starts[i] ?? 0));
  });
  await Promise.all(lanes);
  const done = await waitForOutbox(stack, before + RECIPIENTS, started, 'sink emails');
  return RECIPIENTS / ((done - started) / 1000);
}

async function main(): Promise<void> {
  console.log(`bench:campaign: ${RECIPIENTS} recipients, one segment campaign, default embedded stack`);
  const stack = await startBenchStack();
  try {
    const setup = performance.now();
    await postContacts(stack);
    console.log(
      `  setup: ${RECIPIENTS} contacts with consent in ${((performance.now() - setup) / 1000).toFixed(0)} s (not timed)`,
    );
    const preview = (await stack.get('/v1/templates/weekly-offer/preview?channel=email')) as Preview;

    const sinkRate = await rawSink(stack, preview);
    console.log(
      `  raw sink: ${RECIPIENTS} personalized emails, SendGrid SDK, 1,000 per request: ${sinkRate.toFixed(0)} emails/s`,
    );

    const before = await outboxCount(stack);
    const started = performance.now();
    await stack.post('/v1/campaigns', {
      id: CAMPAIGN_ID,
      template: 'weekly-offer',
      channels: ['email'],
      segment: { all: [{ attribute: 'tier', in: ['gold', 'platinum'] }, { tag: 'loyalty' }] },
      content: { title: 'Offre de la semaine', body: '-20 % sur tout', url: 'https://shop.example.com/o' },
    });
    const done = await waitForOutbox(stack, before + RECIPIENTS, started, 'offers');
    const seconds = (done - started) / 1000;
    const rate = RECIPIENTS / seconds;
    const ratio = rate / sinkRate;
    const rss = stack.peakRss();
    const campaign = (await stack.get(`/v1/campaigns/${CAMPAIGN_ID}`)) as { runs: unknown[] };
    console.log(`  the run as GET /v1/campaigns/{id} reads it: ${JSON.stringify(campaign.runs[0])}`);
    const met = (ok: boolean) => (ok ? 'met' : 'NOT met');
    console.log(
      `  campaign: ${RECIPIENTS} offers in the outbox after ${seconds.toFixed(1)} s: ${rate.toFixed(0)} offers/s`,
    );
    console.log(`  ratio offers / raw sink: ${ratio.toFixed(3)}`);
    console.log(`  peak RSS of the stack: ${(rss / 2 ** 20).toFixed(0)} MiB`);
    const scaled = (TARGET.seconds * RECIPIENTS) / 100_000;
    console.log(`  target ${RECIPIENTS} offers in ≤ ${scaled.toFixed(0)} s: ${met(seconds <= scaled)}`);
    console.log(`  target ratio ≥ ${TARGET.ratio}: ${met(ratio >= TARGET.ratio)}`);
    console.log(`  target peak RSS ≤ 1.5 GiB: ${met(rss <= TARGET.rssBytes)}`);
  } finally {
    await stack.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
