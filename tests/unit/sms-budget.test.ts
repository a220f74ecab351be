/**
 * The segment budget of an SMS, enforced with the data a real customer brings (a 120-character
 * label, a 200-character link, three merged vouchers) and not only with the samples checked at
 * start: over budget, the compact form goes; when even that cannot fit, the render fails naming
 * the template, the locale and the count, and nothing truncated or multi-part goes out.
 */
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ErrorCode, RelanceError } from '../../domain/errors';
import type { ItemLine } from '../../templates/expiry-variables';
import { loadTemplates, templatesDir, type RegistryOptions } from '../../templates/registry';
import { variableSets } from '../../templates/variables';
import { defaultConfig } from '../fixtures/policy';
import { loyaltyCards, vouchers } from '../helpers/expiry-items';

const options: RegistryOptions = {
  locales: defaultConfig.locales,
  defaultLocale: defaultConfig.company.defaultLocale,
  smsMaxSegments: defaultConfig.messages.smsMaxSegments,
};
const registry = loadTemplates(options);
const locales = ['fr-FR', 'en-GB'] as const;

const label120 = `Carte Fidélité Platine ${'Galeries Lafayette Haussmann '.repeat(4)}`.slice(0, 120);
const url200 = `https://www.maison-exemple.fr/fidelite/renouveler?carte=LC-1&${'utm_x=abcdefgh&'.repeat(12)}`
  .slice(0, 200)
  .replace(/&$/, 'z');
const unsubscribeUrl = 'https://relance.maison-exemple.fr/v1/unsubscribe?t=abc.sig';

function dataOf(items: ItemLine[], marketing: boolean) {
  return {
    contact: {
      firstName: 'Marie-Christine-Éléonore-Françoise',
      lastName: 'de La Fontaine',
      customerType: 'consumer',
    },
    company: variableSets['voucher-expiry'].sample.company,
    items,
    item: items[0],
    count: items.length,
    ...(marketing ? { unsubscribeUrl } : {}),
  };
}

/** The full form is over budget with this data (else the test would prove nothing). */
function overBudgetInFull(id: string, locale: string, data: unknown): void {
  const full = registry.renderForm(id, 'sms', locale, data, false);
  expect(full.sms?.segments).toBeGreaterThan(registry.smsBudget(id));
}

describe('SMS budget with real data', () => {
  it('when the test data has its stated lengths, then they are what the tests claim', () => {
    expect(label120).toHaveLength(120);
    expect(url200).toHaveLength(200);
    expect(vouchers.every((v) => v.code?.length === 12)).toBe(true);
  });

  it('when a loyalty card has a 120-character label and a 200-character renewal link (fr-FR), then the compact SMS goes, within budget, with the link', () => {
    const card = { ...loyaltyCards[0], label: label120, url: url200 } as ItemLine;
    const data = dataOf([card], false);
    overBudgetInFull('loyalty-card-expiry-7', 'fr-FR', data);
    const sent = registry.render('loyalty-card-expiry-7', 'sms', 'fr-FR', data);
    expect(sent.compact).toBe(true);
    expect(sent.sms?.segments).toBeLessThanOrEqual(registry.smsBudget('loyalty-card-expiry-7'));
    expect(sent.text).toContain(`votre carte de fidélité expire le 15 mars 2026. Renouvellement : ${url200}`);
    expect(sent.text).not.toContain(label120);
  });

  it('when the same card fits its budget in English, then the full form goes, label and greeting included', () => {
    const card = { ...loyaltyCards[0], label: label120, url: url200 } as ItemLine;
    const sent = registry.render('loyalty-card-expiry-7', 'sms', 'en-GB', dataOf([card], false));
    expect(sent.compact).toBeUndefined();
    expect(sent.sms?.segments).toBeLessThanOrEqual(registry.smsBudget('loyalty-card-expiry-7'));
    expect(sent.text).toContain(`hello Marie-Christine-Éléonore-Francoise, your ${label120} expires`);
    expect(sent.text).toContain(url200);
  });

  it.each(locales)(
    'when a voucher has a 120-character label and a 200-character link (%s), then the compact SMS goes within budget, with its code and value',
    (locale) => {
      const voucher = { ...vouchers[0], label: label120, url: url200 } as ItemLine;
      const data = dataOf([voucher], true);
      overBudgetInFull('voucher-expiry-3', locale, data);
      const sent = registry.render('voucher-expiry-3', 'sms', locale, data);
      expect(sent.compact).toBe(true);
      expect(sent.sms?.segments).toBeLessThanOrEqual(registry.smsBudget('voucher-expiry-3'));
      expect(sent.text).toContain('NOEL2026ABCD');
      expect(sent.text).toContain(locale === 'fr-FR' ? '10,00 €' : '€10.00');
      expect(sent.text).toContain('STOP');
    },
  );

  it('when data fits, then the full form goes unchanged', () => {
    const sent = registry.render('voucher-expiry-3', 'sms', 'fr-FR', dataOf(vouchers.slice(0, 1), true));
    expect(sent.compact).toBeUndefined();
    expect(sent.text).toContain('bonjour Marie-Christine-Éléonore-Francoise,');
  });

  it.each(locales)(
    'when a link is so long that even the compact SMS is over budget (%s), then rendering fails naming the template, locale and segment count',
    (locale) => {
      const card = { ...loyaltyCards[0], url: `https://x.example/${'a'.repeat(600)}` } as ItemLine;
      let caught: unknown;
      try {
        registry.render('loyalty-card-expiry-7', 'sms', locale, dataOf([card], false));
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(RelanceError);
      expect((caught as RelanceError).code).toBe(ErrorCode.InvalidTemplate);
      expect((caught as RelanceError).message).toMatch(
        new RegExp(
          `^template "loyalty-card-expiry-7" \\(sms, ${locale}\\) takes 5 segments \\(GSM-7, \\d+ units\\) even in its compact form .*the budget is 3 segments$`,
        ),
      );
    },
  );
});

describe('SMS budget of a one-segment voucher reminder', () => {
  const dir = mkdtempSync(join(tmpdir(), 'relance-templates-'));
  cpSync(templatesDir, dir, { recursive: true, filter: (src) => !src.endsWith('.ts') });
  writeFileSync(
    join(dir, 'voucher-expiry-3', 'template.yaml'),
    'description: one segment\npurpose: marketing\nvariables: voucher-expiry\nchannels: [sms]\nsmsMaxSegments: 1\n',
  );
  const oneSegment = loadTemplates({ ...options, dir });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each(locales)(
    'when 3 vouchers with 12-character codes merge into one SMS (%s), then the compact form names the first code and sends to the customer area',
    (locale) => {
      const data = dataOf(vouchers, true);
      const full = oneSegment.renderForm('voucher-expiry-3', 'sms', locale, data, false);
      expect(full.sms?.segments).toBeGreaterThan(1);
      const sent = oneSegment.render('voucher-expiry-3', 'sms', locale, data);
      expect(sent.compact).toBe(true);
      expect(sent.sms).toMatchObject({ encoding: 'GSM-7', segments: 1 });
      expect(sent.text).toContain('NOEL2026ABCD');
      expect(sent.text).not.toContain('MERES20PL7WT');
      expect(sent.text).toMatch(
        locale === 'fr-FR' ? /vos 3 bons d'achat.*espace client/ : /3 vouchers.*customer area/,
      );
    },
  );
});

describe('compact forms checked at start', () => {
  it('when the compact form of an SMS uses an undeclared variable, then loading fails even though the full form is fine', () => {
    const dir = mkdtempSync(join(tmpdir(), 'relance-templates-'));
    try {
      cpSync(templatesDir, dir, { recursive: true, filter: (src) => !src.endsWith('.ts') });
      writeFileSync(
        join(dir, 'weekly-offer', 'sms.en-GB.hbs'),
        '{{#if compact}}{{offer.nickname}}{{else}}{{company.name}}: {{offer.title}} {{offer.url}} Reply STOP{{/if}}',
      );
      expect(() => loadTemplates({ ...options, dir })).toThrow(
        'template "weekly-offer" (sms, en-GB) body: "nickname" not defined',
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
