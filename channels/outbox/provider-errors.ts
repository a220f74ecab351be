/**
 * Error bodies exactly as each provider shapes them, so the real SDKs parse outbox failures the
 * way they parse production ones (SendGrid's `errors` array, Twilio's `code`/`more_info`).
 */

export interface SendgridErrorItem {
  message: string;
  field: string | null;
  help: string | null;
}

export interface SendgridErrorBody {
  errors: SendgridErrorItem[];
}

const SENDGRID_HELP = 'http://sendgrid.com/docs/API_Reference/Web_API_v3/Mail/errors.html';

export function sendgridHelp(anchor: string): string {
  return `${SENDGRID_HELP}#message.${anchor}`;
}

export function sendgridError(
  message: string,
  field: string | null = null,
  help: string | null = null,
): SendgridErrorBody {
  return { errors: [{ message, field, help }] };
}

export interface TwilioErrorBody {
  code: number;
  message: string;
  more_info: string;
  status: number;
}

export function twilioError(status: number, code: number, message: string): TwilioErrorBody {
  return { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status };
}

/** Twilio's documented codes for the failures the outbox can produce. */
export const TWILIO_CODES = {
  badRequest: 400,
  authenticate: 20003,
  notFound: 20404,
  tooManyRequests: 20429,
  internal: 20500,
  invalidTo: 21211,
  bodyRequired: 21602,
  fromRequired: 21603,
  toRequired: 21604,
  unsubscribed: 21610,
  cannotRoute: 21612,
  notMobile: 21614,
  bodyTooLong: 21617,
} as const;
