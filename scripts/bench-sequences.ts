/**
 * How fast invoices reach their first reminder: `npm run bench:sequences [-- --invoices 2000]`.
 *
 * Starts the default embedded stack (`npm start`'s PGlite, dev server, worker, API and outbox) in
 * a throw-away directory, posts N contacts and N invoices due yesterday at once (in requests of
 * 500 events), and waits until each invoice's first reminder is in the local outbox. Prints
 * sequences per second beside the rate at which the same server runs a workflow that does
 * nothing, measured in the same run, and their ratio (absolute times on a shared 2-core machine
 * are noisy; the ratio is what to compare). Target: ≥ 50 sequences/s. `BENCH_EVERY_S=1` shows the
 * progress every second (default 10).
 */
import { availableParallelism, loadavg } from 'node:os';
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

async function postAll(stack: Stack, events: unknown[]) {
  for (let i = 0; i < events.length; i += BATCH) await stack.post('/v1/events', events.slice(i, i + BATCH));
}

type Stack = Awaited<ReturnType<typeof startBenchStack>>;

/** Recipients with a message in the outbox (each invoice has its own contact). */
async function recipients(stack: Stack): Promise<number> {
  const body = (await stack.get('/v1/outbox')) as { messages: { to: string }[] };
  return new Set(body.messages.map((m) => m.to)).size;
}

/**
 * Messages in the outbox, counted by the outbox itself where it can (`/_outbox/count`), so that
 * polling does not read back every message while the stack works; recipients otherwise.
 */
async function outboxCount(stack: Stack): Promise<number> {
  const res = await fetch(`${stack.outboxUrl}/_outbox/count`).catch(() => undefined);
  if (res?.ok) return ((await res.json()) as { count: number }).count;
  return recipients(stack);
}

const cpuOf = (stack: Stack) => stack.cpuSeconds();

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
    const cpuBefore = cpuOf(stack);
    const mainBefore = stack.mainThreadCpuSeconds();
    const started = performance.now();
    const elapsed = () => (performance.now() - started) / 1000;
    await postAll(stack, invoices);
    console.log(`  invoices accepted after ${elapsed().toFixed(1)} s`);
    let count = 0;
    let shown = 0;
    while (count < INVOICES) {
      if (elapsed() > TIMEOUT_S)
        throw new Error(`only ${count} of ${INVOICES} first reminders after ${TIMEOUT_S} s`);
      await new Promise((r) => setTimeout(r, 500));
      count = await outboxCount(stack);
      if (elapsed() - shown >= Number(process.env.BENCH_EVERY_S ?? 10)) {
        shown = elapsed();
        console.log(`  … ${count} after ${shown.toFixed(0)} s`);
      }
    }
    const seconds = elapsed();
    const rate = INVOICES / seconds;
    const cpuAfter = cpuOf(stack);
    const mainAfter = stack.mainThreadCpuSeconds();
    console.log(
      `  ${INVOICES} first reminders in the outbox after ${seconds.toFixed(1)} s: ${rate.toFixed(1)} sequences/s`,
    );
    const distinct = await recipients(stack);
    if (count !== INVOICES || distinct !== INVOICES)
      throw new Error(
        `expected ${INVOICES} first reminders to ${INVOICES} recipients, got ${count} to ${distinct}`,
      );
    const msPerSequence = (seconds: number) => (seconds * 1000) / INVOICES;
    const spent = Object.entries(cpuAfter).map(([name, s]) => ({
      name,
      ms: msPerSequence(s - (cpuBefore[name] ?? 0)),
    }));
    const mainMs = msPerSequence(mainAfter - mainBefore);
    const totalMs = spent.reduce((sum, e) => sum + e.ms, 0);
    const cores = availableParallelism();
    const named = spent.map((e) =>
      e.name === 'node'
        ? `node ${e.ms.toFixed(1)} ms (its main thread ${mainMs.toFixed(1)} ms)`
        : `${e.name} ${e.ms.toFixed(1)} ms`,
    );
    console.log(`  CPU per sequence: ${named.join(', ')} (the machine's load: ${loadavg()[0]?.toFixed(1)})`);
    // However the work were spread over the threads, the cores cannot do more than this.
    console.log(
      `  ${totalMs.toFixed(1)} ms of CPU a sequence on ${cores} cores: at most ${((cores * 1000) / totalMs).toFixed(0)} sequences/s on this machine`,
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
