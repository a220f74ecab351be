/**
 * Handlebars helpers, in two flavours: text (plain, nothing escaped) and HTML (every variable
 * escaped; links become anchors). Money with Intl per locale, dates with luxon per locale,
 * plurals with Intl.PluralRules (the count written with the locale's digit grouping: 12 500).
 */
import type { HelperOptions } from 'handlebars';
import Handlebars from 'handlebars';
import { DateTime } from 'luxon';
import { formatMoney } from '../domain/money';
import { remembered } from '../domain/remembered';

export type RenderMode = 'text' | 'html';

function isMoney(value: unknown): value is { minor: number; currency: string } {
  return typeof value === 'object' && value !== null && 'minor' in value && 'currency' in value;
}

/**
 * Intl's formatters are built once per locale and kept: building one costs some 25 µs and
 * several KB of ICU's memory outside the JavaScript heap, which the collector counts late, and
 * a campaign renders its template for each of 100,000 recipients. Locales are configured, so few.
 */
const pluralRules = new Map<string, Intl.PluralRules>();
const counts = new Map<string, Intl.NumberFormat>();
const percents = new Map<string, Intl.NumberFormat>();
const LOCALES_KEPT = 256;

function localeOf(options: HelperOptions): string {
  const locale: unknown = (options.data as { root?: { locale?: unknown } }).root?.locale;
  if (typeof locale !== 'string') throw new Error('render data lacks its locale');
  return locale;
}

export function registerHelpers(env: typeof Handlebars, mode: RenderMode): void {
  env.registerHelper('money', function (value: unknown, options: HelperOptions) {
    if (!isMoney(value)) throw new Error(`money expects {minor, currency}, got ${JSON.stringify(value)}`);
    return formatMoney(value.minor, value.currency, localeOf(options));
  });
  env.registerHelper('date', function (value: unknown, options: HelperOptions) {
    if (typeof value !== 'string') throw new Error(`date expects YYYY-MM-DD, got ${JSON.stringify(value)}`);
    const parsed = DateTime.fromISO(value, { zone: 'UTC', locale: localeOf(options) });
    if (!parsed.isValid) throw new Error(`date expects YYYY-MM-DD, got ${value}`);
    return parsed.toLocaleString(DateTime.DATE_FULL);
  });
  env.registerHelper('plural', function (count: unknown, options: HelperOptions) {
    if (typeof count !== 'number') throw new Error(`plural expects a number, got ${JSON.stringify(count)}`);
    const locale = localeOf(options);
    const rule = remembered(pluralRules, locale, LOCALES_KEPT, () => new Intl.PluralRules(locale)).select(
      count,
    );
    const forms = options.hash as Record<string, string | undefined>;
    const form = forms[rule] ?? forms.other;
    if (form === undefined) throw new Error(`plural needs an "other" form`);
    const digits = remembered(counts, locale, LOCALES_KEPT, () => new Intl.NumberFormat(locale));
    return form.replace('#', digits.format(count));
  });
  env.registerHelper('sum', function (list: unknown, key: unknown) {
    if (!Array.isArray(list) || typeof key !== 'string') throw new Error('sum expects a list and a key');
    return list.reduce((total: number, entry: unknown) => {
      const value: unknown = (entry as Record<string, unknown> | null)?.[key];
      return typeof value === 'number' ? total + value : total;
    }, 0);
  });
  env.registerHelper('phone', function (value: unknown) {
    if (typeof value !== 'string') throw new Error('phone expects a string');
    // +33140000000 -> +33 1 40 00 00 00 (readable; French grouping is the common case)
    return value.startsWith('+33') && value.length === 12
      ? `+33 ${value.slice(3, 4)} ${value.slice(4).replace(/(\d\d)(?=\d)/g, '$1 ')}`
      : value;
  });
  env.registerHelper('percent', function (value: unknown, options: HelperOptions) {
    if (typeof value !== 'string' || !/^\d+(\.\d+)?$/.test(value))
      throw new Error('percent expects a decimal string');
    // Display only: a rate such as "12.15" is shown, never computed with.
    const locale = localeOf(options);
    const format = remembered(
      percents,
      locale,
      LOCALES_KEPT,
      () => new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 4 }),
    );
    return format.format(Number(value) / 100);
  });
  env.registerHelper('gt', (a: unknown, b: unknown) => Number(a) > Number(b));
  env.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  env.registerHelper('link', function (url: unknown, label: unknown, options: HelperOptions) {
    if (typeof url !== 'string' || typeof label !== 'string')
      throw new Error('link expects a URL and a label');
    const separator = localeOf(options).startsWith('fr') ? ' : ' : ': ';
    if (mode === 'text') return `${label}${separator}${url}`;
    const href = Handlebars.escapeExpression(url);
    return new Handlebars.SafeString(
      `<a href="${href}" style="color:#0b5cad;font-weight:bold">${Handlebars.escapeExpression(label)}</a>`,
    );
  });
}
