/** Reading an email reply as Inbound Parse posts it: sender, references, automatic replies, HTML. */
import { describe, expect, it } from 'vitest';
import {
  isAutomaticReply,
  parseHeaders,
  providerIdCandidates,
  referencedIds,
  senderAddress,
  textOfHtml,
} from '../../domain/inbound-email';

describe('inbound email', () => {
  it('when From has a display name, quotes or odd case, then the address comes out in lower case', () => {
    expect(senderAddress('Marie Dupont <Marie@Example.COM>')).toBe('marie@example.com');
    expect(senderAddress('"Dupont, Marie" <marie@example.com>')).toBe('marie@example.com');
    expect(senderAddress('marie@example.com')).toBe('marie@example.com');
    expect(senderAddress('Marie Dupont')).toBeUndefined();
  });

  it('when References is folded over lines, then every message id is read once', () => {
    const headers = parseHeaders(
      'Message-ID: <me@x>\r\nIn-Reply-To: <a.b@sendgrid.net>\r\nReferences: <first@x>\r\n <a.b@sendgrid.net>\r\nSubject: Re',
    );
    expect(referencedIds(headers)).toEqual(['a.b@sendgrid.net', 'first@x']);
    expect(headers.get('subject')).toBe('Re');
  });

  it('when SendGrid’s Message-ID extends its X-Message-Id, then each dotted prefix of 8 characters or more is a candidate', () => {
    expect(providerIdCandidates('Xq7fNw2aT0KpUQ.filter0042p1.1.0@ismtpd0001p1lon1.sendgrid.net')).toEqual([
      'Xq7fNw2aT0KpUQ',
      'Xq7fNw2aT0KpUQ.filter0042p1',
      'Xq7fNw2aT0KpUQ.filter0042p1.1',
      'Xq7fNw2aT0KpUQ.filter0042p1.1.0',
    ]);
    expect(providerIdCandidates('abc@x')).toEqual([]);
  });

  it('when Auto-Submitted is anything but "no", or a vacation marker is set, then the reply is automatic', () => {
    expect(isAutomaticReply(parseHeaders('Auto-Submitted: auto-replied'))).toBe(true);
    expect(isAutomaticReply(parseHeaders('Auto-Submitted: no'))).toBe(false);
    expect(isAutomaticReply(parseHeaders('X-Autoreply: yes'))).toBe(true);
    expect(isAutomaticReply(parseHeaders('Precedence: auto_reply'))).toBe(true);
    expect(isAutomaticReply(parseHeaders('Subject: Re'))).toBe(false);
  });

  it('when only HTML came, then its text keeps line breaks and entities and drops quotes and scripts', () => {
    expect(
      textOfHtml(
        '<div>Déjà&nbsp;payé<br>Marie &amp; Paul &#233;</div><blockquote>old</blockquote><script>x</script>',
      ),
    ).toBe('Déjà payé\nMarie & Paul é');
    expect(textOfHtml('&#9999999;o&#55296;k')).toBe('ok'); // out of range, a lone surrogate
  });
});
