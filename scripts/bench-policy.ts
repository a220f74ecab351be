/**
 * How long one policy decision takes: `npm run bench [-- --calls 50000 --assert]`.
 *
 * Builds realistic inputs (the default config, contacts in several zones, histories of 0–50
 * messages over the last month, a few consent records each), warms the holiday calendar and the
 * JIT, then times each decide() call on its own with the high-resolution clock. A call is
 * synchronous and does no I/O, so its elapsed time is its CPU time; the process CPU time over the
 * whole run is printed beside it as a cross-check. `--assert` exits 1 when p99 is 1 ms or more.
 */
import { performance } from 'node:perf_hooks';
import { loadConfig } from '../config/load-config';
import { createHolidayCalendar } from '../domain/calendar';
import { decide } from '../domain/policy/decide';
import type { Channel, ConsentRecord, PolicyInput, Purpose, SentRecord } from '../domain/policy/types';

const DAY = 86_400_000;
const args = process.argv.slice(2);
const flag = (name: string) => args.includes(`--${name}`);
const option = (name: string, fallback: number) => {
  const at = args.indexOf(`--${name}`);
  const value = at >= 0 ? Number(args[at + 1]) : fallback;
  return Number.isInteger(value) && value > 0 ? value : fallback;
};
const CALLS = option('calls', 50_000);
const WARM_UP = option('warm-up', 5_000);
const INPUTS = 2_000;

/** A small seeded generator, so two runs time the same inputs. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
const random = seeded(20260302);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
const between = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));

const config = loadConfig();
const calendar = createHolidayCalendar();
const places = [
  { timezone: 'Europe/Paris', country: 'FR' },
  { timezone: 'Europe/Paris', country: 'FR' },
  { timezone: 'Europe/Paris', country: 'FR' },
  { timezone: 'Europe/London', country: 'GB' },
  { timezone: 'America/Los_Angeles', country: 'US' },
  { timezone: 'Pacific/Auckland', country: 'NZ' },
];
for (const { country } of places)
  for (const year of [2025, 2026, 2027]) calendar.isPublicHoliday(country, `${year}-01-01`);

const channels: Channel[] = ['email', 'sms'];
const purposes: Purpose[] = ['transactional', 'transactional', 'transactional', 'marketing'];

function history(now: number): SentRecord[] {
  return Array.from({ length: between(0, 50) }, (_, i) => ({
    at: new Date(now - between(0, 30 * DAY)).toISOString(),
    channel: pick(channels),
    purpose: pick(purposes),
    dedupKey: `invoice-dunning/INV-${between(1, 20)}/step-${i}/${pick(channels)}`,
  }));
}

function consents(now: number): ConsentRecord[] {
  return Array.from({ length: between(2, 6) }, (_, seq) => {
    const at = new Date(now - between(1, 400) * DAY).toISOString();
    return {
      channel: pick(channels),
      purpose: pick(['transactional', 'marketing'] as const),
      granted: random() < 0.8,
      at,
      receivedAt: at,
      seq,
      source: pick(['checkout', 'preference-centre', 'STOP reply', 'call']),
    };
  });
}

function input(): PolicyInput {
  const now = Date.UTC(2026, 0, 1) + between(0, 364 * DAY);
  const purpose = pick(purposes);
  const channel = pick(channels);
  const kind = purpose === 'marketing' ? 'offer' : random() < 0.85 ? 'escalation' : 'installment';
  return {
    now: new Date(now).toISOString(),
    message: {
      purpose,
      channel,
      kind,
      dedupKey: `invoice-dunning/INV-${between(1, 20)}/overdue-${between(1, 2)}/${channel}`,
      recipient: channel === 'email' ? 'client@example.com' : '+33612345678',
      recipientValid: random() < 0.97,
      subjects:
        purpose === 'marketing'
          ? []
          : [
              {
                id: 'INV-1',
                condition: pick(['open', 'open', 'open', 'open', 'paused', 'settled'] as const),
              },
            ],
    },
    contact: { ...pick(places), doNotContact: random() < 0.01 },
    consents: consents(now),
    addressSuppressed: random() < 0.01,
    history: history(now),
    openEscalation: between(0, 4),
    config: config.policy,
    calendar,
  };
}

const inputs = Array.from({ length: INPUTS }, input);
const outcomes = new Map<string, number>();
for (let i = 0; i < WARM_UP; i += 1) decide(inputs[i % INPUTS] as PolicyInput);

const samples = new Float64Array(CALLS);
const cpuBefore = process.cpuUsage();
for (let i = 0; i < CALLS; i += 1) {
  const subject = inputs[i % INPUTS] as PolicyInput;
  const start = performance.now();
  const decision = decide(subject);
  samples[i] = (performance.now() - start) * 1000;
  const label = decision.kind === 'suppress' ? `suppress:${decision.reason}` : decision.kind;
  outcomes.set(label, (outcomes.get(label) ?? 0) + 1);
}
const cpu = process.cpuUsage(cpuBefore);

samples.sort();
const at = (q: number) => samples[Math.min(CALLS - 1, Math.floor(q * CALLS))] ?? Number.NaN;
const us = (value: number) => `${value.toFixed(1)} µs`;
const historySizes = inputs.map((i) => i.history.length);

console.log(`decide(): ${CALLS} timed calls after ${WARM_UP} warm-up calls, over ${INPUTS} inputs`);
console.log(
  `  histories of ${Math.min(...historySizes)}–${Math.max(...historySizes)} messages, ` +
    `${new Set(places.map((p) => p.timezone)).size} time zones, default config`,
);
console.log(`  p50 ${us(at(0.5))}   p90 ${us(at(0.9))}   p99 ${us(at(0.99))}   max ${us(at(1))}`);
console.log('  (max includes any garbage-collection pause that landed inside a timed call)');
console.log(`  process CPU time per call (user + system): ${us((cpu.user + cpu.system) / CALLS)}`);
console.log(
  `  outcomes: ${[...outcomes].map(([k, v]) => `${k} ${((100 * v) / CALLS).toFixed(1)}%`).join(', ')}`,
);
const fast = at(0.99) < 1000;
console.log(`  p99 < 1 ms: ${fast ? 'yes' : 'NO'}`);
if (flag('assert') && !fast) process.exitCode = 1;
