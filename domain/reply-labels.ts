/**
 * What a customer's free-text reply (an SMS, an email) is about, for the person who reads it:
 * labels from common French and English phrasings, insensitive to case and accents ("Déjà payé",
 * "deja paye", "j'ai payé", "I paid", "je conteste", "not my invoice"…). A phrase under a negation
 * earlier in its clause does not count ("je n'ai pas encore payé", "I do not dispute it"); phrases
 * that carry their own negation ("pas d'accord", "not my invoice") always count. Pure.
 */
import type { HandoffReason } from './service-levels';

export const REPLY_LABELS = [
  'already_paid',
  'dispute',
  'complaint',
  'callback_request',
  'payment_plan_request',
  'auto_reply',
  'other',
] as const;
export type ReplyLabel = (typeof REPLY_LABELS)[number];

interface Phrase {
  pattern: RegExp;
  /** The phrase holds its own negation: a negation before it does not cancel it. */
  selfNegated?: true;
}

/** Over normalized text: lower case, no accents, apostrophes as spaces, "n't" as " not". */
const p = (source: string, selfNegated?: true): Phrase => ({
  pattern: new RegExp(`\\b(?:${source})\\b`),
  ...(selfNegated ? { selfNegated } : {}),
});

const PHRASES: Readonly<Record<Exclude<ReplyLabel, 'other'>, readonly Phrase[]>> = {
  already_paid: [
    p('^(?:c est |it s |its )?(?:paye|payee|regle|reglee|paid|settled)$'),
    p('deja (?:paye|payee|payes|regle|reglee|regles|verse|effectue)'),
    p('(?:paye|payee|regle|reglee) deja'),
    p('j ?ai (?:bien |deja |tout )?(?:paye|regle|verse|fait (?:le|un) (?:virement|paiement|reglement))'),
    p('nous avons (?:bien |deja )?(?:paye|regle|verse)'),
    p('(?:paiement|virement|reglement|cheque) (?:a ete |deja |bien )?(?:effectue|envoye|fait|parti|emis)'),
    p('(?:est|a ete|ont ete|sont) (?:bien |deja )?(?:payee?s?|reglee?s?|soldee?s?)'),
    p('already (?:paid|settled|sent (?:the )?payment)'),
    p('paid (?:it )?already'),
    p('(?:i|we) (?:have |ve )?(?:already |just )?(?:paid|settled)'),
    p('(?:payment|transfer) (?:was |has been )?(?:made|sent|done|completed)'),
    p('(?:has|have|was|been) (?:already )?(?:paid|settled)'),
  ],
  dispute: [
    p('(?:je |nous )?contest(?:e|es|ons|er|ez|ee|ation)'),
    p('litig(?:e|ieux|ieuse)'),
    p('(?:pas|plus) d accord', true),
    p('(?:ce n est |c est )?pas (?:ma|notre) facture', true),
    p('(?:je n ai|nous n avons) jamais (?:commande|signe)', true),
    p('(?:facture|montant|somme) (?:errone|erronee|incorrect|incorrecte|faux|fausse)'),
    p('erreur (?:de|sur la|dans la) (?:facture|facturation|montant)'),
    p('disput(?:e|es|ed|ing)'),
    p('(?:i|we) disagree|do not agree', true),
    p('not (?:my|our) (?:invoice|bill)', true),
    p('never (?:ordered|signed)', true),
    p('(?:wrong|incorrect) (?:amount|invoice|bill)|(?:invoice|bill|amount) is (?:wrong|incorrect)'),
  ],
  complaint: [
    p('plainte|reclamation|inadmissible|scandal(?:e|eux|euse)|honteu(?:x|se)|harcel(?:e|ement|ez)'),
    p('mediateur|avocat|association de consommateurs'),
    p(
      'complain(?:t|ts|ing)?|unacceptable|disgrace(?:ful)?|harass(?:ment|ing|ed)?|ombudsman|lawyer|solicitor',
    ),
  ],
  callback_request: [
    p('rappel(?:ez|er|le) (?:moi|nous)|me rappeler|nous rappeler|(?:appelez|telephonez) (?:moi|nous)'),
    p('(?:m|nous) (?:appeler|telephoner)'),
    p('call (?:me|us)(?: back)?|callback|ring (?:me|us)|phone (?:me|us)|give (?:me|us) a (?:call|ring)'),
  ],
  payment_plan_request: [
    p(
      'echeancier|(?:paiement|payer|regler) en (?:plusieurs|\\d+) fois|etaler|delai de paiement|plus de temps',
    ),
    p('payment plan|instal?lments?|more time|pay (?:in|by) (?:parts|stages)'),
  ],
  auto_reply: [
    p('absente? du bureau|reponse automatique|message automatique|je suis absente?'),
    p('out of (?:the )?office|auto(?:matic)?[ -]?reply|autoreply|away from (?:the )?office'),
  ],
};

const NEGATIONS = new Set([
  'ne',
  'n',
  'pas',
  'jamais',
  'aucun',
  'aucune',
  'sans',
  'not',
  'never',
  'no',
  'without',
]);
/** How many words before a phrase a negation reaches. */
const NEGATION_REACH = 4;

/** Lower case, no accents, "n't" → " not", apostrophes and punctuation inside clauses → spaces. */
export function normalizeReply(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[’‘`´]/g, "'")
    .replace(/n't\b/g, ' not')
    .replace(/'ve\b/g, ' ve')
    .replace(/[^\p{L}\p{N}.,;:!?\n]+/gu, ' ');
}

/** Clauses: a negation reaches no further than its sentence, comma, "mais" or "but". */
function clauses(normalized: string): string[] {
  return normalized
    .split(/[.,;:!?\n]+|\bmais\b|\bbut\b|\bhowever\b|\bcependant\b/)
    .map((c) => c.replace(/\s+/g, ' ').trim())
    .filter((c) => c.length > 0);
}

function negatedAt(clause: string, index: number): boolean {
  const before = clause.slice(0, index).trim().split(' ').filter(Boolean);
  return before.slice(-NEGATION_REACH).some((word) => NEGATIONS.has(word));
}

function clauseHas(clause: string, phrase: Phrase): boolean {
  const match = phrase.pattern.exec(clause);
  if (!match) return false;
  return phrase.selfNegated === true || !negatedAt(clause, match.index);
}

/** The labels of a reply, in REPLY_LABELS order; `other` alone when none applies. */
export function labelReply(text: string): ReplyLabel[] {
  const parts = clauses(normalizeReply(text));
  const labels = (Object.keys(PHRASES) as Exclude<ReplyLabel, 'other'>[]).filter((label) =>
    PHRASES[label].some((phrase) => parts.some((clause) => clauseHas(clause, phrase))),
  );
  return labels.length > 0 ? labels : ['other'];
}

/**
 * The customer's own words of an email reply: what comes before the quoted history ("> " lines,
 * "Le … a écrit :", "On … wrote:", "-----Original Message-----", an Outlook "De :"/"From:" block),
 * so that our own reminder, quoted below, does not label the reply.
 */
export function ownWordsOfEmail(text: string): string {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const own: string[] = [];
  for (const line of lines) {
    const t = line.trim();
    if (/^-{2,}\s*(original message|message d.origine|forwarded message|message transf[eé]r[eé])/i.test(t))
      break;
    if (/^(le|on)\s.+(a écrit|a ecrit|wrote)\s*:?$/i.test(t)) break;
    if (/^(de|from)\s*:\s*\S+/i.test(t) && own.some((l) => l.trim().length > 0)) break;
    if (t.startsWith('>')) continue;
    own.push(line);
  }
  return own.join('\n').trim();
}

/** A reply as far as hand-offs are concerned. */
export interface LabelledReply {
  labels: readonly ReplyLabel[];
}

/**
 * Why a person must take a reply over, as the reason of the task it opens (with its service
 * level), or undefined when nobody needs to (an automatic reply). A dispute or a complaint gets
 * its own reason; everything else a customer writes is a `reply` for a person to read.
 */
export function replyNeedsPerson(reply: LabelledReply): HandoffReason | undefined {
  const labels = new Set(reply.labels);
  if (labels.size === 1 && labels.has('auto_reply')) return undefined;
  if (labels.has('dispute')) return 'dispute';
  if (labels.has('complaint')) return 'complaint';
  return 'reply';
}
