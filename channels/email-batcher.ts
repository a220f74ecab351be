/**
 * Campaign-size email in few requests: campaign messages (marked `batchable`) wait up to
 * `lingerMs` for others and leave together, up to 1,000 per SendGrid request (one personalization
 * each, with its own subject, headers and rendered body as substitutions). Each message still has
 * its own ledger row and its own result; transactional mail is never held back.
 */
import { ProviderTransientError, type EmailChannel, type OutgoingEmail, type SendResult } from './channel';
import {
  batchTag,
  MAX_PERSONALIZATIONS,
  type BatchSendResult,
  type SendgridEmailChannel,
} from './email-sendgrid';

/** SendGrid caps substitutions at 10,000 bytes per personalization; bigger mail goes alone. */
const MAX_SUBSTITUTION_BYTES = 9_500;

interface Waiting {
  message: OutgoingEmail;
  resolve: (result: SendResult) => void;
  reject: (error: unknown) => void;
}

export function batchingEmailChannel(
  inner: SendgridEmailChannel,
  opts: { lingerMs?: number } = {},
): EmailChannel {
  const lingerMs = opts.lingerMs ?? 200;
  let queue: Waiting[] = [];
  let timer: NodeJS.Timeout | undefined;

  const fits = (m: OutgoingEmail) =>
    Buffer.byteLength(m.text) + Buffer.byteLength(m.html) <= MAX_SUBSTITUTION_BYTES;

  async function sendGroup(group: Waiting[]): Promise<void> {
    const [first] = group;
    if (!first) return;
    if (group.length === 1) {
      await inner.send(first.message).then(first.resolve, first.reject);
      return;
    }
    const m = first.message;
    const results = await inner.sendBatch({
      from: m.from,
      ...(m.replyTo ? { replyTo: m.replyTo } : {}),
      subject: m.subject,
      text: batchTag('text'),
      html: batchTag('html'),
      ...(m.categories ? { categories: m.categories } : {}),
      ...(m.tracking ? { tracking: m.tracking } : {}),
      recipients: group.map(({ message }) => ({
        to: message.to,
        ...(message.toName ? { toName: message.toName } : {}),
        subject: message.subject,
        ...(message.headers ? { headers: message.headers } : {}),
        substitutions: { text: message.text, html: message.html },
        idempotencyKey: message.idempotencyKey,
        messageId: message.messageId,
      })),
    });
    group.forEach((waiting, i) => settle(waiting, results[i]));
  }

  function settle(waiting: Waiting, result: BatchSendResult | undefined): void {
    if (!result) waiting.reject(new ProviderTransientError('no result for this recipient'));
    else if (result.kind === 'retry')
      waiting.reject(result.error ?? new ProviderTransientError(result.detail, result.retryAfterMs));
    else waiting.resolve(result);
  }

  function flush(): void {
    timer = undefined;
    const taken = queue;
    queue = [];
    // One request per sender identity and tracking choice; SendGrid caps requests at 1,000.
    const groups = new Map<string, Waiting[]>();
    for (const waiting of taken) {
      const m = waiting.message;
      const key = JSON.stringify([m.from, m.replyTo, m.categories, m.tracking]);
      groups.set(key, [...(groups.get(key) ?? []), waiting]);
    }
    for (const group of groups.values()) {
      for (let i = 0; i < group.length; i += MAX_PERSONALIZATIONS) {
        const part = group.slice(i, i + MAX_PERSONALIZATIONS);
        sendGroup(part).catch((error: unknown) => part.forEach((w) => w.reject(error)));
      }
    }
  }

  return {
    send(message) {
      if (!message.batchable || !fits(message)) return inner.send(message);
      return new Promise<SendResult>((resolve, reject) => {
        queue.push({ message, resolve, reject });
        if (queue.length >= MAX_PERSONALIZATIONS) flush();
        else timer ??= setTimeout(flush, lingerMs);
      });
    },
    ...(inner.confirm ? { confirm: inner.confirm.bind(inner) } : {}),
  };
}
