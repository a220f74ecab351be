/**
 * How fast invoices reach their first reminder: `npm run bench:sequences [-- --invoices 2000]`.
 *
 * Starts the default embedded stack (`npm start`'s PGlite, dev server, worker, API and outbox) in
 * a throw-away directory, posts N contacts and N invoices due yesterday at once (in requests of
 * 500 events), and waits until each invoice's first reminder is in the local outbox. Prints
 * sequences per second beside the rate at which the same server runs a workflow that does
 * nothing, measured in the same run, and their ratio (absolute times on a shared 2-core machine
 * are noisy; the ratio is what to compare). Target: ≥ 50 sequences/s.
 */
import { DateTime } from 'luxon';
import { startBenchStack } from './bench/stack';
import { trivialWorkflowRate } from './bench/trivial-baseline';

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const at = args.indexOf(`--${name}`);
  const value = at >= 0 ? Number(args[at + 1]) : fallback;
  return Number.isInteger(value) && value > 0 ? value : fallback;
};
const INVOICES = option('invoices', 2000);
const BATCH = 500;
const TIMEOUT_S = option('timeout', 900);

async function postAll(stack: Awaited<ReturnType<typeof startBenchStack>>, events: unknown[]) {
  for (let i = 0; i < events.length; i += BATCH) await stack.post('/v1/events', events.slice(i, i + BATCH));
}

async function outboxCount(stack: Awaited<ReturnType<typeof startBenchStack>>): Promise<number> {
  const body = (await stack.get('/v1/outbox')) as { messages: { to: string }[] };
  return new Set(body.messages.map((m) => m.to)).size;
}

async function main(): Promise<void> {
  console.log(`bench:sequences: ${INVOICES} invoices due yesterday, default embedded stack`);
  const stack = await startBenchStack();
  try {
    const dueDate = DateTime.now().setZone('Europe/Paris').minus({ days: 1 }).toISODate();
    const contacts = Array.from({ length: INVOICES }, (_, i) => ({
      id: `bench-contact-${i}`,
      type: 'contact.upserted',
      data: {
        id: `c${i}`,
        firstName: 'Camille',
        email: `camille.${i}@example.com`,
        locale: 'fr-FR',
        timezone: 'Europe/Paris',
        country: 'FR',
      },
    }));
    await postAll(stack, contacts);
    const invoices = Array.from({ length: INVOICES }, (_, i) => ({
      id: `bench-invoice-${i}`,
      type: 'invoice.issued',
      data: { id: `INV-${i}`, contactId: `c${i}`, amount: '120.00', currency: 'EUR', dueDate },
    }));
    const started = performance.now();
    await postAll(stack, invoices);
    let count = 0;
    while (count < INVOICES) {
      if ((performance.now() - started) / 1000 > TIMEOUT_S)
        throw new Error(`only ${count} of ${INVOICES} first reminders after ${TIMEOUT_S} s`);
      await new Promise((r) => setTimeout(r, 1000));
      count = await outboxCount(stack);
    }
    const seconds = (performance.now() - started) / 1000;
    const rate = INVOICES / seconds;
    console.log(
      `  ${INVOICES} first reminders in the outbox after ${seconds.toFixed(1)} s: ${rate.toFixed(1)} sequences/s`,
    );
    const trivial = await trivialWorkflowRate(stack.temporalAddress, INVOICES);
    console.log(`  trivial workflow on the same server, same run: ${trivial.toFixed(1)} workflows/s`);
    console.log(`  ratio sequences / trivial workflows: ${(rate / trivial).toFixed(2)}`);
    console.log(`  peak RSS of the stack: ${(stack.peakRss() / 2 ** 20).toFixed(0)} MiB`);
    console.log(`  target ≥ 50 sequences/s: ${rate >= 50 ? 'met' : 'NOT met'}`);
  } finally {
    await stack.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
