/**
 * Reading an email reply as SendGrid's Inbound Parse posts it: the sender's address, the message
 * ids it answers (In-Reply-To, References), whether it is an automatic reply, and the plain text
 * when only HTML came. Pure.
 */

/** Unfolded header lines of a raw header block, by lower-case name (first occurrence wins). */
export function parseHeaders(raw: string): Map<string, string> {
  const headers = new Map<string, string>();
  const unfolded = raw.replace(/\r\n?/g, '\n').replace(/\n[ \t]+/g, ' ');
  for (const line of unfolded.split('\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (!headers.has(name)) headers.set(name, line.slice(colon + 1).trim());
  }
  return headers;
}

/** The address of a From value: `Marie <marie@example.com>`, or a bare address; lower case. */
export function senderAddress(from: string): string | undefined {
  const angled = /<([^<>\s@]+@[^<>\s@]+)>/.exec(from);
  const bare = /(?:^|[\s,;:])([^<>\s@",;:]+@[^<>\s@",;:]+\.[^<>\s@",;:]+)/.exec(from);
  return (angled?.[1] ?? bare?.[1])?.toLowerCase();
}

/** The message ids (without angle brackets) that In-Reply-To and References name, once each. */
export function referencedIds(headers: Map<string, string>): string[] {
  const text = `${headers.get('in-reply-to') ?? ''} ${headers.get('references') ?? ''}`;
  return [...new Set([...text.matchAll(/<([^<>\s]+)>/g)].map((m) => m[1] ?? ''))].filter(Boolean);
}

/**
 * The provider ids a message id may carry: SendGrid's SMTP Message-ID starts with the
 * X-Message-Id it answered the send with ("<Abc.dfd.64b469.filter…@ismtpd…>"), which is what
 * the ledger keeps; each dot-separated prefix of the local part is a candidate.
 */
export function providerIdCandidates(messageId: string): string[] {
  const local = messageId.split('@')[0] ?? '';
  const parts = local.split('.');
  return parts.map((_, i) => parts.slice(0, i + 1).join('.')).filter((c) => c.length >= 8);
}

/** RFC 3834 Auto-Submitted, and the usual vacation-responder markers. */
export function isAutomaticReply(headers: Map<string, string>): boolean {
  const auto = headers.get('auto-submitted')?.toLowerCase();
  if (auto && auto !== 'no') return true;
  if (headers.has('x-autoreply') || headers.has('x-autorespond')) return true;
  return /^(auto_reply|bulk|junk)$/i.test(headers.get('precedence') ?? '');
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/** A code point that is a character: in range, and no lone surrogate the store would refuse. */
const isScalarValue = (code: number) => code <= 0x10ffff && (code < 0xd800 || code > 0xdfff);

/** Plain text of an HTML body, for a reply that came without a text part (quotes dropped). */
export function textOfHtml(html: string): string {
  return html
    .replace(/<(script|style|blockquote)[\s\S]*?<\/\1>/gi, '')
    .replace(/<br\s*\/?>|<\/(p|div|li|tr|h\d)>/gi, '\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&(amp|lt|gt|quot|apos|nbsp);/g, (_, name: string) => ENTITIES[name] ?? '')
    .replace(/&#(\d{1,7});/g, (_, code: string) =>
      isScalarValue(Number(code)) ? String.fromCodePoint(Number(code)) : '',
    )
    .replace(/[ \t]+/g, ' ')
    .replace(/\n\s*\n+/g, '\n')
    .trim();
}
