/**
 * `relance preview <template> --locale fr-FR --channel sms [--data sample.json] [--html]`:
 * renders a template as a customer would receive it, with the SMS segment count.
 */
import { readFileSync } from 'node:fs';
import { configFilesFromEnv, loadConfig } from '../config/load-config';
import { RelanceError } from '../domain/errors';
import { createTemplates } from '../runtime/engine';
import { variableSets } from '../templates/variables';

function option(args: string[], name: string): string | undefined {
  const index = args.indexOf(name);
  return index >= 0 ? args[index + 1] : undefined;
}

export function previewCommand(args: string[]): Promise<number> {
  const id = args.find((a, i) => !a.startsWith('--') && !args[i - 1]?.startsWith('--'));
  const locale = option(args, '--locale') ?? 'fr-FR';
  const channel = option(args, '--channel') ?? 'email';
  const dataFile = option(args, '--data');
  if (!id || (channel !== 'email' && channel !== 'sms')) {
    process.stderr.write(
      'usage: relance preview <template> --locale fr-FR --channel email|sms [--data sample.json] [--html]\n',
    );
    return Promise.resolve(2);
  }
  try {
    const templates = createTemplates(loadConfig(configFilesFromEnv()));
    const meta = templates.meta(id);
    const data: unknown = dataFile
      ? JSON.parse(readFileSync(dataFile, 'utf8'))
      : variableSets[meta.variables].sample;
    const rendered = templates.render(id, channel, locale, data);
    const out: string[] = [
      `template: ${id} (${meta.purpose}), channel: ${channel}, locale: ${rendered.locale}`,
    ];
    if (rendered.subject) out.push(`subject: ${rendered.subject}`);
    if (rendered.sms)
      out.push(`segments: ${rendered.sms.segments} (${rendered.sms.encoding}, ${rendered.sms.units} units)`);
    out.push('', rendered.text);
    if (args.includes('--html') && rendered.html) out.push('', rendered.html);
    process.stdout.write(`${out.join('\n')}\n`);
    return Promise.resolve(0);
  } catch (error) {
    if (error instanceof RelanceError || error instanceof SyntaxError) {
      process.stderr.write(`${error.message}\n`);
      return Promise.resolve(2);
    }
    throw error;
  }
}
