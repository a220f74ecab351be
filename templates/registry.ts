/**
 * Loads every template folder at start, compiles each channel × locale twice (text, HTML),
 * renders each with its variable set's sample in strict mode, and checks SMS segment budgets:
 * a template that does not compile, uses an undeclared variable or is too long stops the start.
 * Every SMS render enforces the budget with the real data (see sms-budget.ts): over budget, the
 * template's `{{#if compact}}` form is sent; still over, the render fails naming the count.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { ErrorCode, formatPath, RelanceError } from '../domain/errors';
import { registerHelpers, type RenderMode } from './helpers';
import { fitSmsBudget } from './sms-budget';
import { countSegments, gsmFriendly, type SegmentCount } from './sms-segments';
import { variableSets, type VariableSetName } from './variables';

export const templatesDir = fileURLToPath(new URL('.', import.meta.url));

const metaSchema = z.strictObject({
  description: z.string(),
  purpose: z.enum(['transactional', 'marketing']),
  variables: z.enum(Object.keys(variableSets) as [VariableSetName, ...VariableSetName[]]),
  channels: z.array(z.enum(['email', 'sms'])).min(1),
  smsMaxSegments: z.number().int().min(1).max(10).optional(),
  /** The text gives company.latePayment.paymentDays to pay: a later hand-off waits that long after it left. */
  statesPaymentDays: z.boolean().default(false),
  tracking: z.strictObject({ opens: z.boolean(), clicks: z.boolean() }).optional(),
});
export type TemplateMeta = z.infer<typeof metaSchema> & { id: string };

export interface RenderedMessage {
  subject?: string;
  text: string;
  html?: string;
  sms?: SegmentCount;
  /** An SMS whose full form was over its segment budget, sent in its `{{#if compact}}` form. */
  compact?: true;
  locale: string;
}

type Compiled = {
  subject?: HandlebarsTemplateDelegate;
  body: { text: HandlebarsTemplateDelegate; html?: HandlebarsTemplateDelegate };
};

export interface TemplateRegistry {
  ids(): string[];
  meta(id: string): TemplateMeta;
  /** The best available locale: exact, then same language, then the default. */
  resolveLocale(id: string, channel: 'email' | 'sms', locale: string): string;
  /** An SMS over its segment budget is rendered compact, else fails (InvalidTemplate) naming the count. */
  render(id: string, channel: 'email' | 'sms', locale: string, data: unknown): RenderedMessage;
  /** One form as written, no budget applied: what start-up checks and render build on. */
  renderForm(
    id: string,
    channel: 'email' | 'sms',
    locale: string,
    data: unknown,
    compact: boolean,
  ): RenderedMessage;
  /** The segment budget of a template's SMS: its own smsMaxSegments, else messages.smsMaxSegments. */
  smsBudget(id: string): number;
}

export interface RegistryOptions {
  dir?: string;
  locales: string[];
  defaultLocale: string;
  smsMaxSegments: number;
}

function fail(message: string): never {
  throw new RelanceError(ErrorCode.InvalidTemplate, message);
}

function environments(dir: string, locales: string[]) {
  const envs = new Map<string, typeof Handlebars>();
  for (const locale of locales) {
    for (const mode of ['text', 'html'] as RenderMode[]) {
      const env = Handlebars.create();
      registerHelpers(env, mode);
      const partialsDir = join(dir, '_partials');
      for (const file of existsSync(partialsDir) ? readdirSync(partialsDir) : []) {
        const match = /^(.+)\.([a-zA-Z-]+)\.hbs$/.exec(file);
        if (match?.[2] === locale)
          env.registerPartial(match[1] ?? file, readFileSync(join(partialsDir, file), 'utf8'));
      }
      envs.set(`${mode}:${locale}`, env);
    }
  }
  return (mode: RenderMode, locale: string) =>
    envs.get(`${mode}:${locale}`) ?? fail(`no environment for ${locale}`);
}

/** Splits an email template into its Subject: header and its body. */
function splitEmail(source: string, file: string): { subject: string; body: string } {
  const match = /^Subject:\s*(.+?)\s*\n---\s*\n([\s\S]*)$/.exec(source);
  if (!match) fail(`${file}: an email template starts with "Subject: …", then a line "---", then the body`);
  return { subject: match[1] ?? '', body: match[2] ?? '' };
}

function compile(
  env: typeof Handlebars,
  source: string,
  mode: RenderMode,
  file: string,
): HandlebarsTemplateDelegate {
  try {
    env.precompile(source, { strict: true }); // surfaces syntax errors now, not at first send
    return env.compile(source, { strict: true, noEscape: mode === 'text' });
  } catch (error) {
    return fail(`${file}: does not compile: ${(error as Error).message}`);
  }
}

export function loadTemplates(options: RegistryOptions): TemplateRegistry {
  const dir = options.dir ?? templatesDir;
  const env = environments(dir, options.locales);
  const layoutFile = join(dir, '_layout', 'email.html.hbs');
  const layout = env('html', options.defaultLocale).compile(readFileSync(layoutFile, 'utf8'), {
    strict: true,
  });
  const metas = new Map<string, TemplateMeta>();
  const compiled = new Map<string, Compiled>();

  for (const id of readdirSync(dir).filter(
    (f) => !f.startsWith('_') && existsSync(join(dir, f, 'template.yaml')),
  )) {
    const metaFile = join(dir, id, 'template.yaml');
    const parsed = metaSchema.safeParse(parseYaml(readFileSync(metaFile, 'utf8')));
    if (!parsed.success)
      fail(
        `${metaFile}: ${parsed.error.issues.map((i) => `${formatPath(i.path)}: ${i.message}`).join('; ')}`,
      );
    metas.set(id, { ...parsed.data, id });
    for (const channel of parsed.data.channels) {
      for (const locale of options.locales) {
        const file = join(dir, id, `${channel}.${locale}.hbs`);
        if (!existsSync(file)) fail(`${id}: missing ${channel} template for ${locale} (${file})`);
        const source = readFileSync(file, 'utf8');
        if (channel === 'sms') {
          compiled.set(`${id}:${channel}:${locale}`, {
            body: { text: compile(env('text', locale), source.trimEnd(), 'text', file) },
          });
          continue;
        }
        const { subject, body } = splitEmail(source, file);
        compiled.set(`${id}:${channel}:${locale}`, {
          subject: compile(env('text', locale), subject, 'text', file),
          body: {
            text: compile(env('text', locale), body, 'text', file),
            html: compile(env('html', locale), body, 'html', file),
          },
        });
      }
    }
  }

  const registry: TemplateRegistry = {
    ids: () => [...metas.keys()].sort(),
    meta: (id) => metas.get(id) ?? fail(`unknown template "${id}"; known: ${[...metas.keys()].join(', ')}`),
    resolveLocale(id, channel, locale) {
      const available = options.locales.filter((l) => compiled.has(`${id}:${channel}:${l}`));
      const language = locale.split('-')[0];
      return (
        available.find((l) => l === locale) ??
        available.find((l) => l.split('-')[0] === language) ??
        (available.includes(options.defaultLocale) ? options.defaultLocale : available[0]) ??
        fail(`template "${id}" has no ${channel} version`)
      );
    },
    smsBudget: (id) => registry.meta(id).smsMaxSegments ?? options.smsMaxSegments,
    render(id, channel, requestedLocale, data) {
      const full = registry.renderForm(id, channel, requestedLocale, data, false);
      if (channel !== 'sms') return full;
      return fitSmsBudget(full, registry.smsBudget(id), {
        what: `template "${id}" (sms, ${full.locale})`,
        compact: () => registry.renderForm(id, channel, requestedLocale, data, true),
      });
    },
    renderForm(id, channel, requestedLocale, data, compact) {
      const meta = registry.meta(id);
      const locale = registry.resolveLocale(id, channel, requestedLocale);
      const template =
        compiled.get(`${id}:${channel}:${locale}`) ?? fail(`template "${id}" has no ${channel} version`);
      const parsed = variableSets[meta.variables].schema.safeParse(data);
      if (!parsed.success) {
        const problems = parsed.error.issues.map((i) => `${formatPath(i.path)}: ${i.message}`).join('; ');
        fail(`template "${id}" (${channel}, ${locale}) cannot render: ${problems}`);
      }
      // `compact` is the registry's, not the data's: the schemas are strict, so data cannot set it.
      const context = { ...parsed.data, locale, compact };
      const run = (fn: HandlebarsTemplateDelegate, what: string): string => {
        try {
          return fn(context);
        } catch (error) {
          return fail(`template "${id}" (${channel}, ${locale}) ${what}: ${(error as Error).message}`);
        }
      };
      const text = tidy(run(template.body.text, 'body'));
      if (channel === 'sms') {
        const sms = gsmFriendly(text);
        return { text: sms, sms: countSegments(sms), locale, ...(compact ? { compact: true as const } : {}) };
      }
      const bodyHtml = paragraphs(run(template.body.html ?? template.body.text, 'HTML body'));
      const subject = run(template.subject ?? template.body.text, 'subject').trim();
      const html = layout({ ...context, subject, body: new Handlebars.SafeString(bodyHtml), lang: locale });
      return { subject, text, html, locale };
    },
  };

  for (const id of registry.ids()) checkSamples(registry, id, options);
  return registry;
}

/**
 * Renders every channel × locale with the sample data: undeclared variables fail here, in the
 * compact form of an SMS too (strict mode), and an SMS that the sample puts over budget even in
 * its compact form stops the start, as it would fail every send.
 */
function checkSamples(registry: TemplateRegistry, id: string, options: RegistryOptions): void {
  const meta = registry.meta(id);
  const sample = variableSets[meta.variables].sample;
  for (const channel of meta.channels) {
    for (const locale of options.locales) {
      const full = registry.renderForm(id, channel, locale, sample, false);
      if (channel !== 'sms') continue;
      const compact = registry.renderForm(id, channel, locale, sample, true);
      const budget = registry.smsBudget(id);
      const fitting = [full, compact].find((r) => r.sms && r.sms.segments <= budget);
      if (!fitting && full.sms)
        fail(
          `${id} (sms, ${locale}) takes ${full.sms.segments} segments (${full.sms.encoding}, ${full.sms.units} units) with sample data; the budget is ${budget}` +
            `, and ${compact.sms?.segments ?? '?'} in its compact form` +
            (full.sms.nonGsmCharacters.length
              ? `. Characters forcing UCS-2: ${full.sms.nonGsmCharacters.join(' ')}`
              : ''),
        );
    }
  }
}

/** Collapses the blank lines Handlebars blocks leave behind; keeps paragraph breaks. */
function tidy(text: string): string {
  return text
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** Escaped HTML body -> paragraphs: blank lines separate <p>, single newlines become <br>. */
function paragraphs(html: string): string {
  return tidy(html)
    .split(/\n{2,}/)
    .map((p) => `<p style="margin:0 0 16px">${p.replace(/\n/g, '<br>')}</p>`)
    .join('\n');
}
