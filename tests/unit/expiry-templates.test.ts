/**
 * The reminders of the four expiry schedules, rendered as customers receive them: every template ×
 * locale × channel, with one item and with three merged, long real-world labels, 12-character
 * voucher codes and a long first name.
 */
import { describe, expect, it } from 'vitest';
import { ErrorCode, RelanceError } from '../../domain/errors';
import type { ItemLine } from '../../templates/expiry-variables';
import { loadTemplates, type RegistryOptions } from '../../templates/registry';
import { variableSets } from '../../templates/variables';
import { defaultConfig } from '../fixtures/policy';
import { loyaltyCards, lot, lots, paymentCards, vouchers } from '../helpers/expiry-items';

const options: RegistryOptions = {
  locales: defaultConfig.locales,
  defaultLocale: defaultConfig.company.defaultLocale,
  smsMaxSegments: defaultConfig.messages.smsMaxSegments,
};
const registry = loadTemplates(options);
const locales = ['fr-FR', 'en-GB'] as const;
type Locale = (typeof locales)[number];

const unsubscribeUrl =
  'https://relance.maison-exemple.fr/v1/unsubscribe?t=eyJjIjoiYzEiLCJjaCI6ImVtYWlsIn0.sig';
const base = {
  contact: { firstName: 'Marie-Christine-Éléonore', lastName: 'de La Fontaine', customerType: 'consumer' },
  company: variableSets['voucher-expiry'].sample.company,
};

/** Each template of the four schedules: its items, the days left at its step, marketing or not. */
const steps = [
  { id: 'loyalty-card-expiry-30', items: loyaltyCards, daysLeft: 30, marketing: false },
  { id: 'loyalty-card-expiry-7', items: loyaltyCards, daysLeft: 7, marketing: false },
  { id: 'loyalty-card-expired', items: loyaltyCards, daysLeft: -1, marketing: false },
  { id: 'payment-card-expiry-30', items: paymentCards, daysLeft: 30, marketing: false },
  { id: 'payment-card-expiry-7', items: paymentCards, daysLeft: 7, marketing: false },
  { id: 'payment-card-expiry-1', items: paymentCards, daysLeft: 1, marketing: false },
  { id: 'voucher-expiry-14', items: vouchers, daysLeft: 14, marketing: true },
  { id: 'voucher-expiry-3', items: vouchers, daysLeft: 3, marketing: true },
  { id: 'points-expiry-30', items: lots, daysLeft: 30, marketing: true },
  { id: 'points-expiry-7', items: lots, daysLeft: 7, marketing: true },
];

function dataOf(items: ItemLine[], daysLeft: number, marketing: boolean) {
  const lines = items.map((i) => ({ ...i, daysLeft }));
  return {
    ...base,
    items: lines,
    item: lines[0],
    count: lines.length,
    ...(marketing ? { unsubscribeUrl } : {}),
  };
}

const formatted = {
  'fr-FR': { date: '15 mars 2026', points: (n: number) => new Intl.NumberFormat('fr-FR').format(n) },
  'en-GB': { date: '15 March 2026', points: (n: number) => new Intl.NumberFormat('en-GB').format(n) },
};

/** What identifies an item in an email: its label (a lot: its points), its code, its link. */
function marks(item: ItemLine, locale: Locale): string[] {
  const name = item.kind === 'points' ? formatted[locale].points(item.points ?? 0) : item.label;
  return [name, ...(item.code ? [item.code] : []), ...(item.url ? [item.url] : [])];
}

const cases = steps.flatMap((step) =>
  registry
    .meta(step.id)
    .channels.flatMap((channel) =>
      locales.flatMap((locale) =>
        [1, 3].map((count) => ({ ...step, channel, locale, count, items: step.items.slice(0, count) })),
      ),
    ),
);

describe('expiry reminders, as the customer receives them', () => {
  it('when the registry loads, then each step of the four schedules has its template with the schedule’s purpose', () => {
    for (const step of steps)
      expect(registry.meta(step.id).purpose).toBe(step.marketing ? 'marketing' : 'transactional');
  });

  it.each(cases)(
    'when $id goes by $channel in $locale for $count item(s), then it is complete and within budget',
    ({ id, channel, locale, items, daysLeft, marketing }) => {
      const rendered = registry.render(id, channel, locale, dataOf(items, daysLeft, marketing));
      expect(rendered.locale).toBe(locale);
      expect(rendered.text).not.toMatch(/\{\{|\}\}|undefined|null|NaN|\[object/);
      if (channel === 'sms') {
        expect(rendered.sms?.encoding).toBe('GSM-7');
        expect(rendered.sms?.segments).toBeLessThanOrEqual(
          registry.meta(id).smsMaxSegments ?? options.smsMaxSegments,
        );
        expect(rendered.text).toContain(formatted[locale].date);
        expect(rendered.text).toContain(marketing ? 'STOP' : '+33 1 40 00 00 01');
        return;
      }
      const { text, html = '', subject = '' } = rendered;
      expect(subject.length).toBeGreaterThan(10);
      expect(text).toContain(formatted[locale].date);
      for (const item of items) for (const mark of marks(item, locale)) expect(text).toContain(mark);
      for (const item of items)
        if (item.url) expect(html).toContain(`href="${item.url.replace(/=/g, '&#x3D;')}"`);
      for (const contactPart of [
        'Service clients Maison Exemple',
        '+33 1 40 00 00 01',
        'service-clients@maison-exemple.fr',
      ])
        expect(text).toContain(contactPart);
      expect(text).not.toMatch(/Claire Martin|recouvrement/);
      if (marketing) {
        expect(text).toContain(unsubscribeUrl);
        expect(html).toContain('href="https://relance.maison-exemple.fr/v1/unsubscribe?t&#x3D;');
      } else {
        expect(text).not.toMatch(/unsubscribe|désabonner/i);
      }
    },
  );
});

const render = (id: string, channel: 'email' | 'sms', locale: Locale, data: unknown) =>
  registry.render(id, channel, locale, data);
const marketingData = (items: ItemLine[]) => dataOf(items, items[0]?.daysLeft ?? 7, true);
const cardData = (items: ItemLine[], daysLeft = 7) => dataOf(items, daysLeft, false);

describe('expiry reminders: wording', () => {
  it('when two vouchers expire the same day, then one message lists both in the plural; one voucher reads in the singular', () => {
    const two = vouchers.slice(0, 2);
    expect(render('voucher-expiry-14', 'email', 'fr-FR', marketingData(two)).subject).toBe(
      "Vos 2 bons d'achat expirent le 15 mars 2026",
    );
    expect(render('voucher-expiry-14', 'email', 'en-GB', marketingData(two)).subject).toBe(
      'Your 2 vouchers expire on 15 March 2026',
    );
    expect(render('voucher-expiry-3', 'sms', 'fr-FR', marketingData(two)).text).toContain(
      "vos 2 bons d'achat expirent le 15 mars 2026 (dans 3 jours) : codes NOEL2026ABCD, MERES20PL7WT.",
    );
    const one = render('voucher-expiry-14', 'email', 'fr-FR', marketingData(vouchers.slice(0, 1))).text;
    expect(one).toContain(
      "votre Bon d’achat de 10 € — Noël, d'une valeur de 10,00\u00a0€, est valable jusqu'au 15 mars 2026",
    );
    expect(one).toContain("S'il est déjà utilisé");
    const en = render('voucher-expiry-14', 'email', 'en-GB', marketingData(vouchers.slice(0, 1))).text;
    expect(en).toContain('worth €10.00, is valid until 15 March 2026 (in 3 days)');
  });

  it('when points lots are merged, then their total is written with the locale’s grouping, singular for one point', () => {
    expect(render('points-expiry-30', 'email', 'fr-FR', marketingData(lots)).subject).toBe(
      'Vos 13\u202f301 points fidélité expirent le 15 mars 2026',
    );
    expect(render('points-expiry-30', 'email', 'en-GB', marketingData(lots)).subject).toBe(
      'Your 13,301 loyalty points expire on 15 March 2026',
    );
    expect(render('points-expiry-7', 'sms', 'fr-FR', marketingData([lot('PTS-9', 1)])).text).toContain(
      '1 point fidélité expire le 15 mars 2026',
    );
    expect(render('points-expiry-7', 'sms', 'en-GB', marketingData([lot('PTS-9', 1)])).text).toContain(
      '1 loyalty point expires on 15 March 2026',
    );
  });

  it('when the card expires tomorrow or today, then the reminder says so instead of "in 1 day"', () => {
    const visa = paymentCards.slice(0, 1);
    expect(render('payment-card-expiry-1', 'email', 'fr-FR', cardData(visa, 1)).subject).toBe(
      'Votre carte de paiement enregistrée expire demain',
    );
    expect(render('payment-card-expiry-1', 'email', 'en-GB', cardData(visa, 1)).subject).toBe(
      'Your saved payment card expires tomorrow',
    );
    const today = render('loyalty-card-expiry-7', 'sms', 'en-GB', cardData(loyaltyCards.slice(0, 1), 0)).text;
    expect(today).toContain('expires on 15 March 2026 (today)');
  });
});

describe('expiry reminders: links and safety', () => {
  it('when an item has no link, then the link line is left out, and the expired card says whom to contact to renew', () => {
    const noLink = [{ ...loyaltyCards[0], url: null } as ItemLine];
    for (const locale of locales) {
      const reminder = render('loyalty-card-expiry-30', 'email', locale, cardData(noLink)).text;
      expect(reminder).not.toMatch(/https?:|Renouveler ma carte|Renew my card/);
      const expired = render('loyalty-card-expired', 'email', locale, cardData(noLink, -1));
      expect(expired.text).not.toMatch(/https?:/);
      expect(expired.text).toMatch(
        /Service clients Maison Exemple (s'en occupe avec vous|will sort it out with you) (au|on) \+33 1 40 00 00 01/,
      );
      const sms = render('loyalty-card-expiry-7', 'sms', locale, cardData(noLink)).text;
      expect(sms).not.toMatch(/https?:|Renouvellement|Renew:/);
    }
  });

  it('when a payment card expires, then the SMS carries no link and every message sends to the customer area, never asking for the number', () => {
    for (const locale of locales) {
      const sms = render('payment-card-expiry-7', 'sms', locale, cardData(paymentCards.slice(0, 1))).text;
      expect(sms).not.toMatch(/https?:|www\./);
      expect(sms).toMatch(locale === 'fr-FR' ? /espace client/ : /customer area/);
      expect(sms).toMatch(
        locale === 'fr-FR' ? /jamais vos coordonnées bancaires/ : /never ask for card details/,
      );
      expect(sms).toContain('Visa **** 4242');
      for (const id of ['payment-card-expiry-30', 'payment-card-expiry-7', 'payment-card-expiry-1']) {
        const { text } = render(id, 'email', locale, cardData(paymentCards.slice(0, 1)));
        expect(text).toMatch(
          locale === 'fr-FR'
            ? /jamais votre numéro de carte par e-mail, par SMS/
            : /never ask for your card number/,
        );
        expect(text).not.toMatch(/(répondez|reply|envoyez|send us).{0,40}(numéro|number|cryptogramme|CVV)/i);
      }
    }
  });

  it('when a schedule made a card reminder marketing, then it carries the one-click unsubscribe link', () => {
    const data = { ...cardData(loyaltyCards.slice(0, 1)), unsubscribeUrl };
    expect(render('loyalty-card-expiry-30', 'email', 'fr-FR', data).text).toContain(
      `Se désabonner en un clic : ${unsubscribeUrl}`,
    );
  });
});

describe('expiry reminders: data that does not fit', () => {
  const fails = (id: string, data: unknown) => {
    try {
      render(id, 'email', 'fr-FR', data);
    } catch (error) {
      expect(error).toBeInstanceOf(RelanceError);
      expect((error as RelanceError).code).toBe(ErrorCode.InvalidTemplate);
      return (error as RelanceError).message;
    }
    return expect.fail('expected a template error');
  };

  it('when a voucher template is given a card, then rendering fails naming the kind', () => {
    const data = { ...cardData(loyaltyCards.slice(0, 1)), unsubscribeUrl };
    expect(fails('voucher-expiry-14', data)).toMatch(/items\[0\]\.kind/);
  });

  it('when a marketing reminder lacks its unsubscribe link, then rendering fails instead of sending without it', () => {
    const { unsubscribeUrl: _omitted, ...data } = marketingData(vouchers.slice(0, 1));
    expect(fails('voucher-expiry-14', data)).toContain('unsubscribeUrl');
  });

  it('when count disagrees with the items listed, then rendering fails naming count', () => {
    expect(fails('loyalty-card-expiry-30', { ...cardData(loyaltyCards), count: 1 })).toContain('count');
  });
});

describe('expiry SMS with data longer than the samples', () => {
  const longUrl = `https://www.maison-exemple.fr/espace-client/fidelite/${'a1b2c3d4e5'.repeat(6)}?utm_source=sms`;
  const longLabel = 'Carte Fidélité Platine Galeries Lafayette Haussmann — Hôtel'; // 59 characters, ô and — included
  const longName = { ...base.contact, firstName: 'Marie-Christine-Éléonore-Françoise' };

  it.each(cases.filter((c) => c.channel === 'sms' && c.count === 1))(
    'when $id ($locale) carries a 59-character label, a 120-character link and a 34-character first name, then it stays GSM-7 within budget',
    ({ id, locale, items, daysLeft, marketing }) => {
      const item = { ...items[0], label: longLabel, url: longUrl } as ItemLine;
      const data = { ...dataOf([item], daysLeft, marketing), contact: longName };
      const { sms } = render(id, 'sms', locale, data);
      expect(sms?.encoding).toBe('GSM-7');
      expect(sms?.segments).toBeLessThanOrEqual(registry.meta(id).smsMaxSegments ?? options.smsMaxSegments);
    },
  );
});
