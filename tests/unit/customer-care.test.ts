/**
 * The expiry reminders' human contact line: config company.customerCare (same shape as
 * collections), collections when absent; the expiry templates print it, the invoice ones keep
 * the collections contact.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/load-config';
import { ErrorCode, RelanceError } from '../../domain/errors';
import type { ItemLine } from '../../templates/expiry-variables';
import { loadTemplates } from '../../templates/registry';
import { variableSets } from '../../templates/variables';
import { loyaltyCards, vouchers } from '../helpers/expiry-items';

const dir = mkdtempSync(join(tmpdir(), 'relance-customer-care-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const override = (name: string, yaml: string) => {
  const file = join(dir, name);
  writeFileSync(file, yaml);
  return file;
};

const customerCareYaml = `company:
  customerCare:
    name: Service clients
    email: service-clients@maison-exemple.fr
    phone: '+33140000001'
    hours:
      fr-FR: du lundi au samedi, de 9 h à 19 h
      en-GB: Monday to Saturday, 9 am to 7 pm
`;

describe('config: company.customerCare', () => {
  it('when no customerCare is configured, then the expiry contact line is the collections one', () => {
    const config = loadConfig();
    expect(config.company.customerCare).toEqual(config.company.collections);
  });

  it('when customerCare is configured, then it is parsed with its hours per locale, collections untouched', () => {
    const config = loadConfig([override('care.yaml', customerCareYaml)]);
    expect(config.company.customerCare).toEqual({
      name: 'Service clients',
      email: 'service-clients@maison-exemple.fr',
      phone: '+33140000001',
      hours: { 'fr-FR': 'du lundi au samedi, de 9 h à 19 h', 'en-GB': 'Monday to Saturday, 9 am to 7 pm' },
    });
    expect(config.company.collections.name).toBe('Claire Martin');
  });

  it('when customerCare has a bad email or lacks its phone, then the error names each path', () => {
    const bad = override(
      'bad-care.yaml',
      "company:\n  customerCare: { name: SC, email: not-an-email, hours: { fr-FR: '9-18' } }\n",
    );
    let caught: unknown;
    try {
      loadConfig([bad]);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(RelanceError);
    expect((caught as RelanceError).code).toBe(ErrorCode.InvalidConfig);
    const paths = (caught as RelanceError).issues.map((i) => i.path);
    expect(paths).toEqual(
      expect.arrayContaining(['company.customerCare.email', 'company.customerCare.phone']),
    );
  });
});

describe('templates: the contact line of expiry reminders', () => {
  const registry = loadTemplates({ locales: ['fr-FR', 'en-GB'], defaultLocale: 'fr-FR', smsMaxSegments: 3 });
  const collections = variableSets.dunning.sample.company.collections;
  const customerCare = {
    name: 'Service clients',
    email: 'service-clients@maison-exemple.fr',
    phone: '+33140000001',
    hours: 'du lundi au samedi, de 9 h à 19 h',
  };
  const company = (care: boolean) => ({
    name: 'Maison Exemple',
    collections,
    ...(care ? { customerCare } : {}),
  });
  const noLink = [{ ...loyaltyCards[0], url: null } as ItemLine];
  const expiredNoLink = [{ ...loyaltyCards[0], url: null, daysLeft: -1 } as ItemLine];
  const cardData = (care: boolean, items: ItemLine[] = loyaltyCards.slice(0, 1)) => ({
    contact: { firstName: 'Zoé', lastName: null },
    company: company(care),
    items,
    item: items[0],
    count: items.length,
  });

  it('when customerCare is given, then card and voucher reminders name it, never the collections contact', () => {
    const card = registry.render('loyalty-card-expiry-30', 'email', 'fr-FR', cardData(true)).text;
    expect(card).toContain(
      'Une question ? Service clients vous répond au +33 1 40 00 00 01 ou à service-clients@maison-exemple.fr (du lundi au samedi, de 9 h à 19 h).',
    );
    expect(card).not.toMatch(/Claire Martin|recouvrement/);
    const expired = registry.render(
      'loyalty-card-expired',
      'email',
      'en-GB',
      cardData(true, expiredNoLink),
    ).text;
    expect(expired).toContain('Service clients will sort it out with you on +33 1 40 00 00 01');
    const voucher = {
      ...cardData(true, vouchers.slice(0, 1)),
      unsubscribeUrl: 'https://relance.example.com/v1/unsubscribe?t=x',
    };
    expect(registry.render('voucher-expiry-14', 'email', 'fr-FR', voucher).text).toContain(
      'Service clients vous répond au +33 1 40 00 00 01',
    );
    const sms = registry.render('loyalty-card-expiry-7', 'sms', 'fr-FR', cardData(true, noLink)).text;
    expect(sms).toContain('Une question ? +33 1 40 00 00 01');
  });

  it('when the data has no customerCare, then the reminders name the collections contact instead', () => {
    const card = registry.render('loyalty-card-expiry-30', 'email', 'en-GB', cardData(false)).text;
    expect(card).toContain('Any question? Claire Martin is there for you on +33 1 40 00 00 00');
  });

  it('when an invoice reminder has customerCare in its data, then it still names the collections contact', () => {
    const data = { ...variableSets.dunning.sample, company: company(true) };
    const text = registry.render('invoice-overdue-1', 'email', 'fr-FR', data).text;
    expect(text).toContain('Claire Martin, du service recouvrement');
    expect(text).not.toContain('Service clients');
  });
});
