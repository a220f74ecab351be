/**
 * Realistic inputs for decide(): the default config, contacts in several zones, histories of 0–50
 * messages over the last month, a few consent records each. Seeded, so runs compare.
 */
import type { RelanceConfig } from '../../config/schema';
import type { HolidayCalendar } from '../../domain/calendar';
import type { Channel, ConsentRecord, PolicyInput, Purpose, SentRecord } from '../../domain/policy/types';
import { picker } from './stats';

const DAY = 86_400_000;

export const places = [
  { timezone: 'Europe/Paris', country: 'FR' },
  { timezone: 'Europe/Paris', country: 'FR' },
  { timezone: 'Europe/Paris', country: 'FR' },
  { timezone: 'Europe/London', country: 'GB' },
  { timezone: 'America/Los_Angeles', country: 'US' },
  { timezone: 'Pacific/Auckland', country: 'NZ' },
];
export const channels: Channel[] = ['email', 'sms'];
export const purposes: Purpose[] = ['transactional', 'transactional', 'transactional', 'marketing'];

/** Loads the holiday data of every country and year the inputs use, so no call pays for it. */
export function warmCalendar(calendar: HolidayCalendar): void {
  for (const { country } of places)
    for (const year of [2025, 2026, 2027]) calendar.isPublicHoliday(country, `${year}-01-01`);
}

export function policyInputs(
  count: number,
  config: RelanceConfig,
  calendar: HolidayCalendar,
  seed = 20260302,
): PolicyInput[] {
  const { random, pick, between } = picker(seed);
  const history = (now: number): SentRecord[] =>
    Array.from({ length: between(0, 50) }, (_, i) => ({
      at: new Date(now - between(0, 30 * DAY)).toISOString(),
      channel: pick(channels),
      purpose: pick(purposes),
      dedupKey: `invoice-dunning/INV-${between(1, 20)}/step-${i}/${pick(channels)}`,
    }));
  const consents = (now: number): ConsentRecord[] =>
    Array.from({ length: between(2, 6) }, (_, seq) => {
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
  const input = (): PolicyInput => {
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
  };
  return Array.from({ length: count }, input);
}
