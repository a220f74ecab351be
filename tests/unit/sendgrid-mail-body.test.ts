/**
 * A campaign's request of 1,000 recipients is posted with the body built by
 * channels/sendgrid-mail-body.ts instead of the SDK's Mail helper (which deep-copies 2.5 MB twice).
 * SendGrid must receive exactly what the helper would have sent: the body is compared with the
 * one `@sendgrid/mail` hands its client for the same mail data, with and without every option.
 */
import { Client } from '@sendgrid/client';
import { MailService } from '@sendgrid/mail';
import { describe, expect, it } from 'vitest';
import type { BatchRecipient, EmailBatch } from '../../channels/email-sendgrid';
import { batchMailData, batchRequestBody, TAG_LEFT, TAG_RIGHT } from '../../channels/sendgrid-mail-body';

/** What the SDK's MailService posts for `data`: its client is asked, and answers 202. */
async function sdkRequest(data: ReturnType<typeof batchMailData>) {
  let sent: { body?: unknown; headers?: unknown; url?: string; method?: string } = {};
  const client = new Client();
  client.request = ((request: typeof sent) => {
    sent = request;
    return Promise.resolve([{ statusCode: 202, headers: {}, body: '' }, '']);
  }) as unknown as Client['request'];
  const mail = new MailService();
  mail.setClient(client);
  mail.setSubstitutionWrappers(TAG_LEFT, TAG_RIGHT);
  await mail.send(data);
  return sent;
}

const recipient = (i: number, full: boolean): BatchRecipient => ({
  to: `client${i}@example.com`,
  ...(full ? { toName: `Élodie « ${i} »` } : {}),
  ...(full
    ? {
        substitutions: { text: `Bonjour ${i}\nOffre`, html: `<p>Bonjour ${i} — 🎁</p>` },
        subject: `Offre ${i}`,
      }
    : {}),
  ...(full ? { headers: { 'List-Unsubscribe': `<https://relance.test/u/${i}>` } } : {}),
  idempotencyKey: `run/2026-03-02|email|c${i}`,
  messageId: `m-${i}`,
});

const batches: { name: string; batch: EmailBatch }[] = [
  {
    name: 'every option, tracking on',
    batch: {
      from: { email: 'offres@maison.test', name: 'Maison' },
      replyTo: 'service@maison.test',
      subject: 'Offre de la semaine',
      text: `${TAG_LEFT}text${TAG_RIGHT}`,
      html: `${TAG_LEFT}html${TAG_RIGHT}`,
      headers: { 'X-Campaign': 'weekly' },
      categories: ['campaign', 'offer'],
      tracking: { opens: true, clicks: true },
      recipients: Array.from({ length: 50 }, (_, i) => recipient(i, i % 3 !== 0)),
    },
  },
  {
    name: 'no option',
    batch: {
      from: { email: 'offres@maison.test', name: 'Maison' },
      subject: 'Offre',
      text: 'Texte',
      html: '<p>Texte</p>',
      headers: {},
      categories: [],
      recipients: [recipient(1, false), recipient(2, true)],
    },
  },
];

describe('the body of a campaign request to SendGrid', () => {
  it.each(batches)('when the batch has $name, then it is the body the SDK would post', async ({ batch }) => {
    const sdk = await sdkRequest(batchMailData(batch, batch.recipients));
    expect(sdk).toMatchObject({ method: 'POST', url: '/v3/mail/send' });
    // As it goes on the wire: JSON (the helper's objects are classes with some fields undefined).
    const wire = (body: unknown): unknown => JSON.parse(JSON.stringify(body));
    expect(wire(batchRequestBody(batch, batch.recipients))).toEqual(wire(sdk.body));
  });
});
