/**
 * Intl's formatters hold memory of ICU's outside the JavaScript heap, which the collector counts
 * late: built once per contact or per rendered message, they grew the stack by hundreds of MB
 * while 100,000 contacts were posted. A zone's validity and a locale's formatters are built once.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { parseEvents } from '../../domain/events';
import { loadTemplates } from '../../templates/registry';
import { variableSets } from '../../templates/variables';
import { defaultConfig } from '../fixtures/policy';
import { lots } from '../helpers/expiry-items';

type IntlKind = 'DateTimeFormat' | 'PluralRules' | 'NumberFormat';
const originals = {
  DateTimeFormat: Intl.DateTimeFormat,
  PluralRules: Intl.PluralRules,
  NumberFormat: Intl.NumberFormat,
};

/** Counts how often `kind` is built from now on (until the test ends). */
function countBuilds(kind: IntlKind): { count: number } {
  const seen = { count: 0 };
  const original = originals[kind];
  const counting = new Proxy(original, {
    construct(target, args: unknown[]) {
      seen.count += 1;
      return Reflect.construct(target, args) as object;
    },
    apply(target, self, args: unknown[]) {
      seen.count += 1;
      return Reflect.apply(target, self, args) as unknown;
    },
  });
  Object.defineProperty(Intl, kind, { value: counting, configurable: true, writable: true });
  return seen;
}

afterEach(() => {
  for (const kind of Object.keys(originals) as IntlKind[])
    Object.defineProperty(Intl, kind, { value: originals[kind], configurable: true, writable: true });
});

const contact = (id: string, timezone: string) => ({
  id: `event-${id}`,
  type: 'contact.upserted',
  data: { id, email: `${id}@example.com`, locale: 'fr-FR', timezone, country: 'FR' },
});

describe('Intl formatters are built once, not per contact or per message', () => {
  it('when 1,000 contacts in one zone are validated, then the zone is checked with one formatter, and a bad zone is still refused each time', () => {
    const builds = countBuilds('DateTimeFormat');
    const body = Array.from({ length: 1000 }, (_, i) => contact(`c${i}`, 'Pacific/Chatham'));
    expect(parseEvents(body).ok).toBe(true);
    expect(builds.count).toBeLessThanOrEqual(1);

    for (const attempt of [1, 2]) {
      const parsed = parseEvents([contact(`bad${attempt}`, 'Europe/Atlantis')]);
      expect(parsed.ok).toBe(false);
      if (!parsed.ok) expect(parsed.issues.map((i) => i.path)).toContain('[0].data.timezone');
    }
  });

  it('when an SMS counting points is rendered 200 times, then each locale builds its plural rules and number format once', () => {
    const registry = loadTemplates({
      locales: defaultConfig.locales,
      defaultLocale: defaultConfig.company.defaultLocale,
      smsMaxSegments: defaultConfig.messages.smsMaxSegments,
    });
    const plurals = countBuilds('PluralRules');
    const numbers = countBuilds('NumberFormat');
    const data = (firstName: string) => ({
      contact: { firstName, lastName: 'Martin', customerType: 'consumer' },
      company: variableSets['points-expiry'].sample.company,
      items: lots.slice(0, 3).map((lot) => ({ ...lot, daysLeft: 7 })),
      item: { ...lots[0], daysLeft: 7 },
      count: 3,
      unsubscribeUrl: 'https://relance.test/v1/unsubscribe?t=abc.sig',
    });
    const texts = new Set<string>();
    for (let i = 0; i < 100; i += 1)
      for (const locale of ['fr-FR', 'en-GB'])
        texts.add(registry.render('points-expiry-7', 'sms', locale, data(`Camille${i}`)).text);
    expect(texts.size).toBe(200);
    expect([...texts].some((t) => /\d[\s\u202f]\d{3} points/.test(t))).toBe(true);
    expect(plurals.count).toBeLessThanOrEqual(2);
    expect(numbers.count).toBeLessThanOrEqual(2);
  });
});
