import { appendFileSync, cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCode, RelanceError } from '../../domain/errors';
import { loadTemplates, templatesDir, type RegistryOptions } from '../../templates/registry';
import { variableSets, type DunningVariables } from '../../templates/variables';
import { latePaymentData } from '../../kinds/invoice/late-payment-terms';
import { defaultConfig } from '../fixtures/policy';

const options: RegistryOptions = {
  locales: defaultConfig.locales,
  defaultLocale: defaultConfig.company.defaultLocale,
  smsMaxSegments: defaultConfig.messages.smsMaxSegments,
};
const registry = loadTemplates(options);
const dunning: DunningVariables = variableSets.dunning.sample;
const transactionalIds = [
  'agent-message',
  'installment-reminder',
  'invoice-formal-notice',
  'invoice-overdue-1',
  'invoice-overdue-2',
  'invoice-pre-due',
];
const expiryTransactionalIds = [
  'loyalty-card-expired',
  'loyalty-card-expiry-30',
  'loyalty-card-expiry-7',
  'payment-card-expiry-1',
  'payment-card-expiry-30',
  'payment-card-expiry-7',
];
const marketingIds = [
  'points-expiry-30',
  'points-expiry-7',
  'voucher-expiry-14',
  'voucher-expiry-3',
  'weekly-offer',
];

/** The error a call throws, checked to be a template error of the catalogue. */
function templateError(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(RelanceError);
    expect((error as RelanceError).code).toBe(ErrorCode.InvalidTemplate);
    return (error as RelanceError).message;
  }
  return expect.fail('expected a template error');
}

let copies: string[] = [];
afterEach(() => {
  for (const dir of copies) rmSync(dir, { recursive: true, force: true });
  copies = [];
});

/** A temporary copy of templates/ with one file rewritten or extended. */
function templatesWith(file: string, change: { replace?: string; append?: string }): string {
  const dir = mkdtempSync(join(tmpdir(), 'relance-templates-'));
  copies.push(dir);
  cpSync(templatesDir, dir, { recursive: true, filter: (src) => !src.endsWith('.ts') });
  if (change.replace !== undefined) writeFileSync(join(dir, file), change.replace);
  if (change.append !== undefined) appendFileSync(join(dir, file), change.append);
  return dir;
}

describe('shipped templates', () => {
  it('when the registry loads, then every template folder is known with its purpose', () => {
    expect(registry.ids()).toEqual(
      [...transactionalIds, ...expiryTransactionalIds, ...marketingIds].sort((a, b) => a.localeCompare(b)),
    );
    for (const id of marketingIds) expect(registry.meta(id).purpose).toBe('marketing');
    for (const id of expiryTransactionalIds) expect(registry.meta(id).purpose).toBe('transactional');
    expect(registry.meta('weekly-offer').purpose).toBe('marketing');
    for (const id of transactionalIds) expect(registry.meta(id).purpose).toBe('transactional');
  });

  const cases = registry
    .ids()
    .flatMap((id) =>
      registry
        .meta(id)
        .channels.flatMap((channel) => options.locales.map((locale) => ({ id, channel, locale }))),
    );
  it.each(cases)(
    'when $id is rendered for $channel in $locale, then it is complete',
    ({ id, channel, locale }) => {
      const rendered = registry.render(id, channel, locale, variableSets[registry.meta(id).variables].sample);
      expect(rendered.locale).toBe(locale);
      expect(rendered.text.length).toBeGreaterThan(40);
      expect(rendered.text).not.toMatch(/\{\{|\}\}|undefined|null|NaN|\[object/);
      if (channel === 'email') {
        expect(rendered.subject?.length).toBeGreaterThan(5);
        expect(rendered.html).toMatch(new RegExp(`^<!DOCTYPE html>[\\s\\S]*<html lang="${locale}">`));
      } else {
        expect(rendered.sms?.segments).toBeLessThanOrEqual(
          registry.meta(id).smsMaxSegments ?? options.smsMaxSegments,
        );
        // Typographic spaces of locale formatting would force UCS-2: they are made plain.
        expect(rendered.text).not.toMatch(/[\u00a0\u202f]/);
      }
    },
  );

  it('when money and dates are rendered, then each locale formats them its own way', () => {
    const fr = registry.render('invoice-overdue-1', 'email', 'fr-FR', dunning);
    const en = registry.render('invoice-overdue-1', 'email', 'en-GB', dunning);
    expect(fr.text).toContain('12\u202f345,67\u00a0€');
    expect(fr.text).toContain('15 mars 2026');
    expect(en.text).toContain('€12,345.67');
    expect(en.text).toContain('15 March 2026');
    const frSms = registry.render('invoice-overdue-1', 'sms', 'fr-FR', dunning);
    expect(frSms.text).toContain('12 345,67 €');
    expect(frSms.sms?.encoding).toBe('GSM-7');
  });

  it('when a value carries HTML, then the HTML part escapes it and the text part keeps it literal', () => {
    const data = { ...dunning, contact: { firstName: '<script>alert("x")</script>', lastName: null } };
    const rendered = registry.render('invoice-pre-due', 'email', 'en-GB', data);
    expect(rendered.text).toContain('Dear <script>alert("x")</script>,');
    expect(rendered.html).toContain('Dear &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;,');
    expect(rendered.html).not.toContain('<script>');
  });

  describe('pre-due reminder: the wording follows the due date', () => {
    // Due 22 November; daysOverdue is counted to the contact's local today (template-data.ts).
    const line = (daysOverdue: number, id = 'INV-1') => ({
      ...dunning.invoice,
      id,
      number: id.replace('INV', 'FA'),
      dueDate: '2026-11-22',
      paymentUrl: `https://pay.example.com/i/${id}`,
      daysOverdue,
    });
    const data = (...invoices: ReturnType<typeof line>[]) => ({
      ...dunning,
      invoices,
      invoice: invoices[0] ?? line(0),
      totalDue: { minor: invoices.reduce((sum, i) => sum + i.amountDue.minor, 0), currency: 'EUR' },
    });
    const forms = (locale: string, values: unknown) => ({
      email: registry.render('invoice-pre-due', 'email', locale, values),
      sms: registry.renderForm('invoice-pre-due', 'sms', locale, values, false),
      compact: registry.renderForm('invoice-pre-due', 'sms', locale, values, true),
    });

    it('when the pre-due reminder is sent after the due date (a late entry), then it says the invoice was due on that date, in French and English, email and SMS', () => {
      const fr = forms('fr-FR', data(line(1)));
      expect(fr.email.subject).toBe('Votre facture FA-1 est arrivée à échéance le 22 novembre 2026');
      expect(fr.email.text).toContain(
        "votre facture n° FA-1, d'un montant de 12\u202f345,67\u00a0€, est arrivée à échéance le 22 novembre 2026.",
      );
      expect(fr.email.text).toContain('Régler en ligne en quelques clics : https://pay.example.com/i/INV-1');
      expect(fr.sms.text).toContain(
        'votre facture FA-1 (12 345,67 €) est arrivée à échéance le 22 novembre 2026.',
      );
      expect(fr.compact.text).toContain('facture FA-1 (12 345,67 €) échue le 22 novembre 2026.');
      const en = forms('en-GB', data(line(1)));
      expect(en.email.subject).toBe('Your invoice FA-1 was due on 22 November 2026');
      expect(en.email.text).toContain('your invoice FA-1 for €12,345.67 was due on 22 November 2026.');
      expect(en.email.text).toContain('Pay online in a few clicks: https://pay.example.com/i/INV-1');
      expect(en.sms.text).toContain('invoice FA-1 (€12,345.67) was due on 22 November 2026.');
      expect(en.compact.text).toContain('invoice FA-1 (€12,345.67) was due on 22 November 2026.');
      for (const { email, sms, compact } of [fr, en]) {
        for (const text of [email.subject ?? '', email.text, sms.text, compact.text])
          expect(text).not.toMatch(/arrive à échéance|à régler le|is due on/);
        for (const form of [sms, compact]) {
          expect(form.text).toContain('https://pay.example.com/i/INV-1');
          expect(form.sms?.encoding).toBe('GSM-7');
        }
      }
    });

    it.each([0, -3])(
      'when it is sent before or on the due date (%i days overdue), then it says the invoice is due on that date',
      (daysOverdue) => {
        // daysOverdue is never negative in sent data (max 0); a negative one still reads "is due".
        const fr = forms('fr-FR', data(line(daysOverdue)));
        expect(fr.email.subject).toBe('Votre facture FA-1 arrive à échéance le 22 novembre 2026');
        expect(fr.email.text).toContain(
          "votre facture n° FA-1, d'un montant de 12\u202f345,67\u00a0€, arrive à échéance le 22 novembre 2026.",
        );
        expect(fr.sms.text).toContain(
          'votre facture FA-1 (12 345,67 €) arrive à échéance le 22 novembre 2026.',
        );
        expect(fr.compact.text).toContain('facture FA-1 (12 345,67 €) à régler le 22 novembre 2026.');
        const en = forms('en-GB', data(line(daysOverdue)));
        expect(en.email.subject).toBe('Your invoice FA-1 is due on 22 November 2026');
        expect(en.email.text).toContain('your invoice FA-1 for €12,345.67 is due on 22 November 2026.');
        expect(en.sms.text).toContain('invoice FA-1 (€12,345.67) is due on 22 November 2026.');
        expect(en.compact.text).toContain('invoice FA-1 (€12,345.67) is due on 22 November 2026.');
      },
    );

    it('when several invoices are not yet due, then they are coming due soon', () => {
      const fr = forms('fr-FR', data(line(0), line(0, 'INV-2')));
      expect(fr.email.subject).toBe('Vos factures arrivent à échéance');
      expect(fr.email.text).toContain('plusieurs factures arrivent bientôt à échéance.');
      expect(fr.sms.text).toContain('2 factures (24 691,34 €) arrivent à échéance.');
      const en = forms('en-GB', data(line(0), line(0, 'INV-2')));
      expect(en.email.subject).toBe('Your invoices are coming due');
      expect(en.email.text).toContain('several of your invoices are coming due soon.');
      expect(en.sms.text).toContain('2 invoices (€24,691.34) are coming due.');
    });

    it('when several invoices are covered and one is already past its due date, then none is said to be coming due', () => {
      const fr = forms('fr-FR', data(line(0), line(1, 'INV-2')));
      expect(fr.email.subject).toBe('Vos factures à régler');
      expect(fr.email.text).toContain('Un petit rappel amical : plusieurs de vos factures sont à régler.');
      expect(fr.email.text).toContain(
        '- facture n° FA-2 : 12\u202f345,67\u00a0€ (échéance le 22 novembre 2026)',
      );
      expect(fr.sms.text).toContain('2 factures (24 691,34 €) sont à régler.');
      expect(fr.compact.text).toContain('2 factures (24 691,34 €) sont à régler.');
      const en = forms('en-GB', data(line(0), line(1, 'INV-2')));
      expect(en.email.subject).toBe('Your invoices awaiting payment');
      expect(en.email.text).toContain('A friendly reminder: several of your invoices are awaiting payment.');
      expect(en.email.text).toContain('- invoice FA-2: €12,345.67 (due 22 November 2026)');
      expect(en.sms.text).toContain('2 invoices (€24,691.34) are awaiting payment.');
      expect(en.compact.text).toContain('2 invoices (€24,691.34) are awaiting payment.');
      for (const { email, sms, compact } of [fr, en])
        for (const text of [email.subject ?? '', email.text, sms.text, compact.text])
          expect(text).not.toMatch(/arrivent|coming due/);
    });

    it('when the sample data (the longest wording) is past due or not, then the full pre-due SMS fits its budget in GSM-7', () => {
      const second = { ...dunning.invoice, id: 'INV-2', paymentUrl: 'https://pay.example.com/i/INV-2' };
      for (const locale of options.locales)
        for (const daysOverdue of [0, 12]) {
          const first = { ...dunning.invoice, daysOverdue };
          for (const invoices of [[first], [first, { ...second, daysOverdue }]]) {
            const sent = registry.render('invoice-pre-due', 'sms', locale, {
              ...dunning,
              invoices,
              invoice: first,
            });
            expect(sent.compact).toBeUndefined();
            expect(sent.sms?.encoding).toBe('GSM-7');
            expect(sent.sms?.segments).toBeLessThanOrEqual(registry.smsBudget('invoice-pre-due'));
          }
        }
    });
  });

  it('when a transactional email goes out, then it names a human contact and carries the payment link', () => {
    for (const id of transactionalIds) {
      const sample = variableSets[registry.meta(id).variables].sample;
      for (const locale of options.locales) {
        const { text, html } = registry.render(id, 'email', locale, sample);
        expect(text).toContain('Claire Martin');
        expect(text).toContain('+33 1 40 00 00 00');
        expect(text).toContain('recouvrement@maison-exemple.fr');
        expect(text).toContain('https://pay.example.com/i/FA-2026-000123');
        expect(html).toContain('href="https://pay.example.com/i/FA-2026-000123"');
      }
    }
  });

  describe('formal notice: only the late-payment terms that apply', () => {
    type Who = { country: string | null; customerType: 'business' | 'consumer' };
    const frenchBusiness: Who = { country: 'FR', customerType: 'business' };
    const second = {
      ...dunning.invoice,
      id: 'INV-2',
      number: 'FA-2',
      paymentUrl: 'https://pay.example.com/i/FA-2',
    };
    const notice = (who: Who, locale: string, channel: 'email' | 'sms', invoices = [dunning.invoice]) =>
      registry.render('invoice-formal-notice', channel, locale, {
        ...dunning,
        invoices,
        latePayment: latePaymentData(who, invoices.length, defaultConfig, locale),
      });

    it('when the customer is a French business, then interest from the due date and 40 EUR per invoice under L441-10 are stated', () => {
      const fr = notice(frenchBusiness, 'fr-FR', 'email').text;
      expect(fr).toContain("au taux annuel de 12,15\u00a0% à compter de la date d'échéance");
      expect(fr).toContain(
        'indemnité forfaitaire pour frais de recouvrement de 40,00\u00a0€ par facture (art. L441-10 du Code de commerce)',
      );
      const en = notice(frenchBusiness, 'en-GB', 'email').text;
      expect(en).toContain('12.15% from the due date');
      expect(en).toContain('€40.00 per invoice (Article L441-10 of the French Commercial Code)');
    });

    it('when a French business notice covers two invoices, then the indemnity is totalled: 2 × 40 € = 80 €', () => {
      const fr = notice(frenchBusiness, 'fr-FR', 'email', [dunning.invoice, second]).text;
      expect(fr).toContain('soit 2 × 40,00\u00a0€ = 80,00\u00a0€ pour ces 2 factures');
      const en = notice(frenchBusiness, 'en-GB', 'email', [dunning.invoice, second]).text;
      expect(en).toContain('2 × €40.00 = €80.00 for these 2 invoices');
    });

    it.each([
      { country: 'FR', customerType: 'consumer' as const },
      { country: 'GB', customerType: 'consumer' as const },
      { country: 'GB', customerType: 'business' as const },
      { country: null, customerType: 'business' as const },
    ])(
      'when the customer is a $customerType in $country, then no interest, indemnity or French citation is claimed',
      (who) => {
        for (const locale of options.locales)
          for (const channel of ['email', 'sms'] as const) {
            const { text, html } = notice(who, locale, channel, [dunning.invoice, second]);
            for (const part of [text, html ?? ''])
              expect(part).not.toMatch(/L441|indemnit|40[,.]00|taux annuel|interest|pénalit|penalt/i);
            expect(text).toMatch(/en demeure|formal notice/i);
          }
      },
    );

    it('when the configured delay to pay changes, then every channel and locale of the notice states it', () => {
      const config = {
        ...defaultConfig,
        company: {
          ...defaultConfig.company,
          latePayment: { ...defaultConfig.company.latePayment, paymentDays: 15 },
        },
      };
      const expected = { 'fr-FR': /(dans un délai de|sous) 15 jours/, 'en-GB': /within 15 days/ };
      for (const locale of options.locales)
        for (const channel of ['email', 'sms'] as const) {
          const latePayment = latePaymentData(frenchBusiness, 1, config, locale);
          const { text } = registry.render('invoice-formal-notice', channel, locale, {
            ...dunning,
            latePayment,
          });
          expect(text).toMatch(expected[locale as keyof typeof expected]);
          expect(text).not.toMatch(/\b8 (jours|days)|huit|eight/);
        }
      expect(registry.meta('invoice-formal-notice').statesPaymentDays).toBe(true);
      expect(registry.meta('invoice-overdue-2').statesPaymentDays).toBe(false);
    });

    it('when a business notice goes by SMS, then it mentions the indemnity and stays within its segment budget', () => {
      for (const locale of options.locales) {
        const sms = notice(frenchBusiness, locale, 'sms', [dunning.invoice, second]);
        expect(sms.text).toContain(
          locale === 'fr-FR' ? '40,00 € par facture' : '€40.00 recovery indemnity per invoice',
        );
        expect(sms.sms?.encoding).toBe('GSM-7');
        expect(sms.sms?.segments).toBeLessThanOrEqual(options.smsMaxSegments);
      }
    });
  });

  it('when several invoices are due, then the email lists each with its own link', () => {
    const second = {
      ...dunning.invoice,
      id: 'INV-2',
      number: 'FA-2',
      paymentUrl: 'https://pay.example.com/i/FA-2',
    };
    const data = { ...dunning, invoices: [dunning.invoice, second] };
    const { text, subject } = registry.render('invoice-overdue-1', 'email', 'en-GB', data);
    expect(subject).toBe('Reminder: invoices awaiting payment');
    expect(text).toContain(
      '- invoice FA-2026-000123: €12,345.67 (due 15 March 2026) — pay online: https://pay.example.com/i/FA-2026-000123',
    );
    expect(text).toContain(
      '- invoice FA-2: €12,345.67 (due 15 March 2026) — pay online: https://pay.example.com/i/FA-2',
    );
  });

  it('when the weekly offer goes out, then the email has the unsubscribe URL and the SMS the STOP word', () => {
    const sample = variableSets.offer.sample;
    for (const locale of options.locales) {
      const email = registry.render('weekly-offer', 'email', locale, sample);
      expect(email.text).toContain(sample.unsubscribeUrl);
      expect(email.html).toContain(`href="${sample.unsubscribeUrl.replace(/=/g, '&#x3D;')}"`);
      expect(registry.render('weekly-offer', 'sms', locale, sample).text).toContain('STOP');
    }
  });

  it('when a locale has no templates, then the same language or the default locale is used', () => {
    expect(registry.resolveLocale('invoice-pre-due', 'email', 'fr-BE')).toBe('fr-FR');
    expect(registry.resolveLocale('invoice-pre-due', 'email', 'en-US')).toBe('en-GB');
    expect(registry.resolveLocale('invoice-pre-due', 'email', 'de-DE')).toBe('fr-FR');
    expect(registry.render('invoice-pre-due', 'sms', 'en-IE', dunning).locale).toBe('en-GB');
  });

  it('when render data lacks a variable, then rendering fails with its path instead of rendering blank', () => {
    const { paymentUrl: _omitted, ...invoiceWithoutUrl } = dunning.invoice;
    const message = templateError(() =>
      registry.render('invoice-overdue-1', 'email', 'fr-FR', { ...dunning, invoice: invoiceWithoutUrl }),
    );
    expect(message).toContain('template "invoice-overdue-1" (email, fr-FR) cannot render');
    expect(message).toContain('invoice.paymentUrl');
    const badLine = { ...dunning, invoices: [{ ...dunning.invoice, number: undefined }] };
    expect(templateError(() => registry.render('invoice-overdue-1', 'sms', 'en-GB', badLine))).toContain(
      'invoices[0].number',
    );
  });

  it('when the template id is unknown, then the known ones are listed', () => {
    expect(templateError(() => registry.render('invoice-gone', 'email', 'fr-FR', dunning))).toMatch(
      /unknown template "invoice-gone"; known: .*invoice-pre-due/,
    );
  });
});

describe('templates that must not load', () => {
  it('when a template has a syntax error, then loading fails and names the file', () => {
    const dir = templatesWith('invoice-overdue-1/email.en-GB.hbs', {
      append: '\n{{#if contact.firstName}}unclosed\n',
    });
    const message = templateError(() => loadTemplates({ ...options, dir }));
    expect(message).toContain(join(dir, 'invoice-overdue-1', 'email.en-GB.hbs'));
    expect(message).toContain('does not compile');
  });

  it('when a template uses a variable its set does not declare, then loading fails', () => {
    const dir = templatesWith('invoice-pre-due/sms.fr-FR.hbs', { append: ' {{contact.nickname}}' });
    const message = templateError(() => loadTemplates({ ...options, dir }));
    expect(message).toContain('template "invoice-pre-due" (sms, fr-FR) body: "nickname" not defined');
  });

  it('when an SMS renders beyond its segment budget, then loading fails with the count and the budget', () => {
    const dir = templatesWith('weekly-offer/sms.en-GB.hbs', {
      replace:
        '{{company.name}}: {{offer.title}} {{offer.body}} {{offer.url}} '.repeat(4) + 'Reply STOP to opt out',
    });
    const message = templateError(() => loadTemplates({ ...options, dir }));
    expect(message).toMatch(
      /^weekly-offer \(sms, en-GB\) takes \d+ segments \((GSM-7|UCS-2), \d+ units\) with sample data; the budget is 2/,
    );
  });

  it('when a locale file is missing, then loading fails naming the template, channel and locale', () => {
    const dir = templatesWith('invoice-overdue-2/template.yaml', {});
    rmSync(join(dir, 'invoice-overdue-2', 'sms.en-GB.hbs'));
    expect(templateError(() => loadTemplates({ ...options, dir }))).toContain(
      'invoice-overdue-2: missing sms template for en-GB',
    );
  });

  it('when an email lacks its Subject header, then loading fails naming the file', () => {
    const dir = templatesWith('weekly-offer/email.fr-FR.hbs', { replace: 'Bonjour {{contact.firstName}}\n' });
    expect(templateError(() => loadTemplates({ ...options, dir }))).toContain(
      `${join(dir, 'weekly-offer', 'email.fr-FR.hbs')}: an email template starts with "Subject: …"`,
    );
  });
});
