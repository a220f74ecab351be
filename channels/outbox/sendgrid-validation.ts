/**
 * The checks SendGrid's v3 mail/send applies before it answers 202, with its field paths and
 * (paraphrased) messages. Every error is collected, as SendGrid reports them all in one 400.
 * Limits follow the public docs: 1000 personalizations and 1000 recipients (to+cc+bcc) per
 * request, 10 categories, 10,000 bytes of substitutions per personalization.
 */
import { sendgridHelp, type SendgridErrorItem } from './provider-errors';

export interface MailAddress {
  email: string;
  name?: string;
}

export interface MailPersonalization {
  to: MailAddress[];
  cc?: MailAddress[];
  bcc?: MailAddress[];
  subject?: string;
  headers?: Record<string, string>;
  substitutions?: Record<string, string>;
  custom_args?: Record<string, string>;
}

export interface MailSendRequest {
  personalizations: MailPersonalization[];
  from: MailAddress;
  reply_to?: MailAddress;
  subject?: string;
  content: { type: string; value: string }[];
  headers?: Record<string, string>;
  custom_args?: Record<string, string>;
  categories?: string[];
  tracking_settings?: Record<string, unknown>;
}

export type MailValidation = { ok: true; mail: MailSendRequest } | { ok: false; errors: SendgridErrorItem[] };

const RESERVED_HEADERS = new Set([
  'x-sg-id',
  'x-sg-eid',
  'received',
  'dkim-signature',
  'content-type',
  'content-transfer-encoding',
  'to',
  'from',
  'subject',
  'reply-to',
  'cc',
  'bcc',
]);
const EMAIL = /^[^\s@<>(),;:"[\]]+@[^\s@<>(),;:"[\]]+\.[^\s@<>(),;:"[\]]+$/;
const MAX_PERSONALIZATIONS = 1000;
const MAX_RECIPIENTS = 1000;
const MAX_SUBSTITUTION_BYTES = 10_000;

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
export const isValidEmail = (v: unknown): v is string => typeof v === 'string' && EMAIL.test(v.trim());

class Errors {
  readonly items: SendgridErrorItem[] = [];
  add(message: string, field: string | null, anchor = field ?? 'bad-request'): void {
    this.items.push({ message, field, help: sendgridHelp(anchor.replace(/\.\d+/g, '')) });
  }
}

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function checkStringMap(value: unknown, field: string, errors: Errors): void {
  if (value === undefined) return;
  if (!isRecord(value))
    return errors.add(`Invalid type. Expected: object, given: ${typeName(value)}.`, field);
  for (const [key, v] of Object.entries(value)) {
    if (typeof v !== 'string')
      errors.add(`Invalid type. Expected: string, given: ${typeName(v)}.`, `${field}.${key}`);
  }
}

function checkHeaders(value: unknown, field: string, errors: Errors): void {
  checkStringMap(value, field, errors);
  if (!isRecord(value)) return;
  for (const name of Object.keys(value)) {
    if (RESERVED_HEADERS.has(name.toLowerCase())) {
      errors.add(
        `The header '${name}' is reserved and cannot be set; use the dedicated field instead.`,
        `${field}.${name}`,
        'headers',
      );
    }
  }
}

/** Checks a to/cc/bcc list; returns the addresses for duplicate and recipient counting. */
function checkRecipients(value: unknown, field: string, errors: Errors, required: boolean): string[] {
  if (value === undefined && !required) return [];
  if (!Array.isArray(value) || value.length === 0) {
    if (required) {
      errors.add(
        'The to array is required for all personalization objects, and must have at least one email object with a valid email address.',
        field,
      );
    } else {
      errors.add('Invalid type. Expected: array of email objects.', field);
    }
    return [];
  }
  return value.flatMap((entry: unknown, j) => {
    const email = isRecord(entry) ? entry.email : undefined;
    if (!isValidEmail(email)) {
      errors.add('Does not contain a valid address.', `${field}.${j}.email`);
      return [];
    }
    return [email.trim().toLowerCase()];
  });
}

function checkPersonalization(p: unknown, i: number, errors: Errors): number {
  const field = `personalizations.${i}`;
  if (!isRecord(p)) {
    errors.add('Invalid type. Expected: object.', field);
    return 0;
  }
  const addresses = [
    ...checkRecipients(p.to, `${field}.to`, errors, true),
    ...checkRecipients(p.cc, `${field}.cc`, errors, false),
    ...checkRecipients(p.bcc, `${field}.bcc`, errors, false),
  ];
  const seen = new Set<string>();
  const duplicate = addresses.find((a) => (seen.has(a) ? true : (seen.add(a), false)));
  if (duplicate) {
    errors.add(
      `Each email address in the personalization block should be unique between to, cc, and bcc. We found the first duplicate instance of [${duplicate}] in the ${field} field.`,
      field,
    );
  }
  if (p.subject !== undefined && typeof p.subject !== 'string')
    errors.add('The subject must be a string.', `${field}.subject`);
  checkHeaders(p.headers, `${field}.headers`, errors);
  checkStringMap(p.custom_args, `${field}.custom_args`, errors);
  checkStringMap(p.substitutions, `${field}.substitutions`, errors);
  if (
    isRecord(p.substitutions) &&
    Buffer.byteLength(JSON.stringify(p.substitutions)) > MAX_SUBSTITUTION_BYTES
  ) {
    errors.add(
      `The substitutions of a personalization may not exceed ${MAX_SUBSTITUTION_BYTES} bytes.`,
      `${field}.substitutions`,
    );
  }
  return addresses.length;
}

function checkPersonalizations(value: unknown, errors: Errors): void {
  if (!Array.isArray(value) || value.length === 0) {
    return errors.add(
      'The personalizations field is required and must have at least 1 item.',
      'personalizations',
    );
  }
  if (value.length > MAX_PERSONALIZATIONS) {
    errors.add(
      `The personalization block is limited to ${MAX_PERSONALIZATIONS} personalizations per API request. You have provided ${value.length} personalizations. Please consider splitting this into multiple requests and resending your request.`,
      'personalizations',
    );
  }
  const recipients = value.reduce(
    (sum: number, p: unknown, i) => sum + checkPersonalization(p, i, errors),
    0,
  );
  if (recipients > MAX_RECIPIENTS) {
    errors.add(
      `There is a limit of ${MAX_RECIPIENTS} total recipients (to + cc + bcc) per request. You have provided ${recipients}.`,
      'personalizations',
    );
  }
}

function checkAddresses(body: Record<string, unknown>, errors: Errors): void {
  const from = body.from;
  if (!isRecord(from) || from.email === undefined) {
    errors.add(
      'The from object must be provided for every email send. It is an object that requires the email parameter, but may also contain a name parameter.',
      'from.email',
      'from',
    );
  } else if (!isValidEmail(from.email)) {
    errors.add('The from email does not contain a valid address.', 'from.email', 'from');
  }
  if (body.reply_to !== undefined && !(isRecord(body.reply_to) && isValidEmail(body.reply_to.email))) {
    errors.add('The reply_to email does not contain a valid address.', 'reply_to.email', 'reply_to');
  }
}

function checkSubject(body: Record<string, unknown>, errors: Errors): void {
  const filled = (s: unknown): boolean => typeof s === 'string' && s.length > 0;
  if (filled(body.subject)) return;
  const personalizations = Array.isArray(body.personalizations) ? body.personalizations : [];
  const everyHasOne =
    personalizations.length > 0 && personalizations.every((p) => isRecord(p) && filled(p.subject));
  if (!everyHasOne && typeof body.template_id !== 'string') {
    errors.add(
      'The subject is required. You can get around this requirement if you use a template with a subject defined or if every personalization has a subject defined.',
      'subject',
    );
  }
}

function checkContent(value: unknown, errors: Errors): void {
  if (!Array.isArray(value) || value.length === 0) {
    return errors.add(
      'Unless a valid template_id is provided, the content parameter is required. There must be at least one defined content block. We typically suggest both text/plain and text/html blocks are included, but only one block is required.',
      'content',
    );
  }
  const types = value.map((c: unknown) =>
    isRecord(c) && typeof c.type === 'string' ? c.type.toLowerCase() : '',
  );
  value.forEach((c: unknown, i) => {
    if (!types[i])
      errors.add('Content types must be at least one character in length.', `content.${i}.type`, 'content');
    if (!isRecord(c) || typeof c.value !== 'string' || c.value.length === 0) {
      errors.add(
        'The content value must be a string at least one character in length.',
        `content.${i}.value`,
        'content',
      );
    }
  });
  const plain = types.indexOf('text/plain');
  const html = types.indexOf('text/html');
  if (plain > 0 || (html >= 0 && html !== (plain >= 0 ? 1 : 0))) {
    errors.add(
      'If present, text/plain must be first, followed by text/html, followed by any other content.',
      'content',
    );
  }
}

export function validateMailSend(body: unknown): MailValidation {
  const errors = new Errors();
  if (!isRecord(body)) {
    errors.add('Bad Request', null);
    return { ok: false, errors: errors.items };
  }
  checkPersonalizations(body.personalizations, errors);
  checkAddresses(body, errors);
  checkSubject(body, errors);
  checkContent(body.content, errors);
  checkHeaders(body.headers, 'headers', errors);
  checkStringMap(body.custom_args, 'custom_args', errors);
  if (body.categories !== undefined) {
    if (
      !Array.isArray(body.categories) ||
      body.categories.some((c) => typeof c !== 'string' || c.length > 255)
    ) {
      errors.add('Categories must be an array of strings of at most 255 characters.', 'categories');
    } else if (body.categories.length > 10) {
      errors.add('You cannot have more than 10 categories associated with an email.', 'categories');
    }
  }
  if (errors.items.length > 0) return { ok: false, errors: errors.items };
  // Every field read downstream was checked above, so the narrowing is sound.
  return { ok: true, mail: body as unknown as MailSendRequest };
}
