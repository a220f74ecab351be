/**
 * Labels of customers' free-text replies, French and English, whatever the case and accents, and
 * not fooled by a negation or by our own reminder quoted under an email reply.
 */
import { describe, expect, it } from 'vitest';
import { labelReply, ownWordsOfEmail, replyNeedsPerson } from '../../domain/reply-labels';

describe('labels of a reply', () => {
  it.each([
    ['Déjà payé', 'already_paid'],
    ['deja paye', 'already_paid'],
    ['DÉJÀ RÉGLÉ !', 'already_paid'],
    ["J'ai payé hier par virement", 'already_paid'],
    ['jai paye la semaine derniere', 'already_paid'],
    ['J’ai bien réglé cette facture', 'already_paid'],
    ['La facture a été payée le 3 mai', 'already_paid'],
    ['Payé.', 'already_paid'],
    ['Virement effectué ce matin', 'already_paid'],
    ['I already paid this', 'already_paid'],
    ['I paid on Monday', 'already_paid'],
    ["I've paid it, check your records", 'already_paid'],
    ['Paid', 'already_paid'],
    ['Payment was sent last week', 'already_paid'],
    ['Je conteste cette facture', 'dispute'],
    ['contestation du montant', 'dispute'],
    ["Je ne suis pas d'accord avec ce montant", 'dispute'],
    ["Ce n'est pas ma facture", 'dispute'],
    ['Litige en cours avec votre commercial', 'dispute'],
    ['I dispute this charge', 'dispute'],
    ['This is not my invoice', 'dispute'],
    ['Wrong amount, we ordered 3 not 5', 'dispute'],
    ['Je vais porter plainte, c’est du harcèlement', 'complaint'],
    ['This is unacceptable, I will complain', 'complaint'],
    ['Rappelez-moi svp', 'callback_request'],
    ["Pouvez-vous m'appeler demain ?", 'callback_request'],
    ['Please call me back', 'callback_request'],
    ['Est-il possible de payer en 3 fois ?', 'payment_plan_request'],
    ['Could I have a payment plan?', 'payment_plan_request'],
    ['Je suis absent du bureau jusqu’au 12 mai', 'auto_reply'],
    ['Out of office until Monday', 'auto_reply'],
    ['Bonjour, merci pour votre message', 'other'],
    ['ok', 'other'],
  ])('when a customer writes "%s", then the reply is labelled %s', (text, label) => {
    expect(labelReply(text)).toEqual([label]);
  });

  it.each([
    ["Je n'ai pas encore payé", ['other']],
    ['la facture n’est pas payée', ['other']],
    ["I haven't paid yet, sorry", ['other']],
    ['It has not been paid', ['other']],
    ['Je ne conteste pas la facture, mais je voudrais un échéancier', ['payment_plan_request']],
    ["I don't dispute it but need more time", ['payment_plan_request']],
    ['Montant dû sans contestation possible', ['other']],
    ["Don't call me", ['other']],
  ])('when a negation comes before the phrase ("%s"), then it does not count', (text, labels) => {
    expect(labelReply(text)).toEqual(labels);
  });

  it('when a negation is in another clause, then the phrase still counts', () => {
    expect(labelReply("Non, j'ai déjà payé")).toEqual(['already_paid']);
    expect(labelReply('No. I already paid')).toEqual(['already_paid']);
  });

  it('when a reply says two things, then it carries both labels', () => {
    expect(labelReply('Déjà payé ! Et je conteste les frais de relance. Rappelez-moi.')).toEqual([
      'already_paid',
      'dispute',
      'callback_request',
    ]);
  });
});

describe('own words of an email reply', () => {
  it('when our reminder is quoted below the reply, then only the customer’s words are kept', () => {
    const text = [
      'Bonjour,',
      'Merci de me rappeler.',
      '',
      'Le lun. 4 mai 2026 à 09:30, Maison Exemple <relances@maison-exemple.fr> a écrit :',
      '> Si vous avez déjà payé, ne tenez pas compte de ce message.',
    ].join('\r\n');
    expect(ownWordsOfEmail(text)).toBe('Bonjour,\nMerci de me rappeler.');
    expect(labelReply(ownWordsOfEmail(text))).toEqual(['callback_request']);
  });

  it('when the client quotes with an "Original Message" block or a From: header, then the quote is cut there', () => {
    expect(ownWordsOfEmail('I dispute this.\n-----Original Message-----\nAlready paid?')).toBe(
      'I dispute this.',
    );
    expect(ownWordsOfEmail('Call me\n\nFrom: Maison Exemple\nSent: Monday\nPaid already?')).toBe('Call me');
    expect(ownWordsOfEmail('On Mon, 4 May 2026, Maison wrote:\n> text')).toBe('');
  });
});

describe('replies that need a person', () => {
  it('when a reply disputes or complains, then the task’s reason says so; any other words are a reply to read', () => {
    expect(replyNeedsPerson({ labels: ['already_paid', 'dispute'] })).toBe('dispute');
    expect(replyNeedsPerson({ labels: ['complaint', 'callback_request'] })).toBe('complaint');
    expect(replyNeedsPerson({ labels: ['already_paid'] })).toBe('reply');
    expect(replyNeedsPerson({ labels: ['other'] })).toBe('reply');
  });

  it('when the reply is an automatic one, then nobody needs to read it', () => {
    expect(replyNeedsPerson({ labels: ['auto_reply'] })).toBeUndefined();
    expect(replyNeedsPerson({ labels: ['auto_reply', 'callback_request'] })).toBe('reply');
  });
});
