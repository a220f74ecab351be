import { describe, expect, it } from 'vitest';
import { normalizeSmsBody, smsKeyword } from '../../domain/sms-keywords';

describe('inbound SMS keywords', () => {
  it.each([
    'STOP',
    ' stop ',
    'Stop.',
    'STOP!!',
    'STOP 🛑',
    'STOP SMS',
    'stop  sms',
    'STOP ALL',
    'STOPALL',
    'Unsubscribe',
    'CANCEL',
    'end',
    'Quit',
    'OPTOUT',
    'opt-out',
    'Opt out',
    'REVOKE',
    'ARRET',
    'Arrêt',
    'ARRÊT SMS',
    'arret sms.',
    'Désabonner',
    'DÉSABONNEMENT',
    'désinscrire',
  ])('when the contact texts "%s", then it is an opt-out', (body) => {
    expect(smsKeyword(body)).toBe('stop');
  });

  it.each(['START', 'Unstop', 'yes', 'Démarrer', 'start!'])(
    'when the contact texts "%s", then it is an opt-in',
    (body) => {
      expect(smsKeyword(body)).toBe('start');
    },
  );

  it.each(['HELP', 'aide', 'Info?'])('when the contact texts "%s", then it asks for help', (body) => {
    expect(smsKeyword(body)).toBe('help');
  });

  it.each([
    "please don't stop my service",
    'stop calling me at work, I pay Friday',
    'Je paie vendredi',
    'STOPPED',
    'non stop',
    '',
    '🛑',
  ])('when the contact texts "%s", then it is not a keyword', (body) => {
    expect(smsKeyword(body)).toBe('other');
  });

  it('when a body is normalized, then case, accents, punctuation, emoji and spaces are folded', () => {
    expect(normalizeSmsBody('  Arrêt   sms ! 🙏 ')).toBe('ARRET SMS');
    expect(normalizeSmsBody('opt-out.')).toBe('OPT OUT');
  });
});
