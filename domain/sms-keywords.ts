/**
 * What an inbound SMS means when it is one of the usual keywords: the carriers' and Twilio's
 * opt-out words (STOP, STOPALL, UNSUBSCRIBE, CANCEL, END, QUIT, OPTOUT, REVOKE), the French ones
 * (ARRET, STOP SMS, DESABONNER), their opt-in counterparts and HELP. A keyword is the whole message:
 * "please don't stop my service" is a sentence for a person to read, not an opt-out. Pure.
 */
export type SmsKeyword = 'stop' | 'start' | 'help' | 'other';

/** Every form, as normalizeSmsBody() writes it (upper case, no accents, single spaces). */
const KEYWORDS: Readonly<Record<SmsKeyword, readonly string[]>> = {
  stop: [
    'STOP',
    'STOP ALL',
    'STOPALL',
    'STOP SMS',
    'UNSUBSCRIBE',
    'CANCEL',
    'END',
    'QUIT',
    'OPTOUT',
    'OPT OUT',
    'REVOKE',
    'ARRET',
    'ARRET SMS',
    'DESABONNER',
    'DESABONNEMENT',
    'DESINSCRIRE',
    'DESINSCRIPTION',
  ],
  start: ['START', 'UNSTOP', 'YES', 'DEMARRER'],
  help: ['HELP', 'AIDE', 'INFO'],
  other: [],
};

const BY_FORM = new Map<string, SmsKeyword>(
  (Object.entries(KEYWORDS) as [SmsKeyword, readonly string[]][]).flatMap(([keyword, forms]) =>
    forms.map((form) => [form, keyword] as const),
  ),
);

/**
 * Case, accents, punctuation, emoji and spacing do not change what the sender meant: " Arrêt. ",
 * "stop!!", "STOP 🛑" and "opt-out" come out as "ARRET", "STOP", "STOP" and "OPT OUT".
 */
export function normalizeSmsBody(body: string): string {
  return body
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
    .toUpperCase();
}

/** The keyword an inbound SMS is, or `other` when it is anything else. */
export function smsKeyword(body: string): SmsKeyword {
  return BY_FORM.get(normalizeSmsBody(body)) ?? 'other';
}
