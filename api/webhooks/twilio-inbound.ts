/**
 * POST /v1/webhooks/twilio/inbound: SMS replies. Opt-out keywords (domain/sms-keywords.ts) withdraw SMS consent (marketing
 * and transactional) of every contact on that number, opt-in keywords give back what STOP took,
 * HELP answers with the configured reply. Anything else is a customer's reply: kept with its
 * labels (domain/reply-labels.ts) on the timeline of the number's contacts. Twilio reads TwiML.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { RelanceConfig } from '../../config/schema';
import type { Purpose } from '../../domain/policy/types';
import { labelReply, replyNeedsPerson } from '../../domain/reply-labels';
import { smsKeyword } from '../../domain/sms-keywords';
import { contactsByPhone, type Contact } from '../../store/contact-repository';
import { keepReply } from '../../ingestion/reply-tasks';
import { claimInboundMessage } from '../../store/inbound-repository';
import { INBOUND_SMS_SOURCE, restoreAfterSmsStop, withdrawConsent } from './consent-changes';
import type { ResolvedWebhooks } from './deps';
import { requireFields, twiml, verifiedTwilioFields, type TwilioFields } from './twilio-request';

/** The contact's locale, else one of the same language, else the company default. */
export function helpReplyFor(config: RelanceConfig, locale: string | undefined): string {
  const replies = config.company.sms.helpReply;
  const language = (l: string) => l.split('-')[0]?.toLowerCase();
  const candidates = [
    locale,
    locale ? Object.keys(replies).find((l) => language(l) === language(locale)) : undefined,
    config.company.defaultLocale,
    ...Object.keys(replies),
  ];
  for (const candidate of candidates) {
    const reply = candidate ? replies[candidate] : undefined;
    if (reply) return reply;
  }
  return config.company.name; // the schema allows an empty map; never answer HELP with nothing
}

const PURPOSES: Purpose[] = ['marketing', 'transactional'];

/**
 * Applies STOP or START once per MessageSid: the message is recorded in the transaction of the
 * consent change, so a replay (Twilio's retry, a captured request) finds it and changes nothing.
 * Returns the consents changed, or undefined for a replay.
 */
async function applyKeyword(
  w: ResolvedWebhooks,
  keyword: 'stop' | 'start',
  contacts: Contact[],
  f: TwilioFields,
): Promise<number | undefined> {
  const text = (f.Body ?? '').trim().slice(0, 40);
  const source = `${INBOUND_SMS_SOURCE} "${text}" from ${f.From ?? ''} (MessageSid ${f.MessageSid ?? ''})`;
  const at = new Date(w.now()).toISOString();
  const change = keyword === 'stop' ? withdrawConsent : restoreAfterSmsStop;
  return w.db.transaction(async (tx) => {
    const fresh = await claimInboundMessage(tx, { messageSid: f.MessageSid ?? '', keyword, receivedAt: at });
    if (!fresh) return undefined;
    let changed = 0;
    for (const contact of contacts)
      for (const purpose of PURPOSES) {
        const done = await change(tx, {
          contactId: contact.id,
          channel: 'sms',
          purpose,
          source,
          at,
          receivedAt: at, // the webhook's arrival: Twilio posts the reply as it comes
          eventId: `twilio:${f.MessageSid ?? ''}`,
        });
        if (done) changed += 1;
      }
    return changed;
  });
}

/**
 * A free-text SMS joins the timeline of every contact on that number, with its labels, once per
 * MessageSid (Twilio's retry records nothing more); one that needs a person reaches the invoice
 * sequence it is about, or opens a task (ingestion/reply-tasks.ts). The words stay in the store,
 * not in the logs.
 */
async function keepSmsReply(w: ResolvedWebhooks, f: TwilioFields, contacts: Contact[]) {
  const text = (f.Body ?? '').trim();
  const labels = labelReply(text);
  const reason = replyNeedsPerson({ labels });
  const kept = await keepReply(
    w.db,
    w.config,
    {
      id: f.MessageSid ?? '',
      channel: 'sms',
      from: f.From ?? '',
      contactIds: contacts.map((c) => c.id),
      subject: null,
      text,
      labels,
      inReplyTo: null,
      needsPerson: reason ?? null,
      receivedAt: new Date(w.now()).toISOString(),
    },
    reason,
  );
  if (kept.routed.some((r) => r.to === 'sequence')) w.onCommitted?.();
  return { labels, needsPerson: reason ?? null, replay: !kept.fresh, routed: kept.routed };
}

export function registerTwilioInbound(app: FastifyInstance, w: ResolvedWebhooks): void {
  app.post(
    '/v1/webhooks/twilio/inbound',
    { config: { access: 'public' } },
    async (request: FastifyRequest, reply: FastifyReply) => {
      const fields = verifiedTwilioFields(request, reply, w);
      if (!fields) return reply;
      requireFields(fields, ['From', 'MessageSid']);
      const from = fields.From ?? '';
      const keyword = smsKeyword(fields.Body ?? '');
      const contacts = await contactsByPhone(w.db, from);
      const log = { from, messageSid: fields.MessageSid, keyword, contacts: contacts.map((c) => c.id) };
      switch (keyword) {
        case 'stop':
        case 'start': {
          const changed = await applyKeyword(w, keyword, contacts, fields);
          if (changed === undefined)
            request.log.info(log, `inbound ${keyword} already applied: replay ignored`);
          else if (contacts.length === 0) request.log.info(log, `inbound ${keyword} from an unknown number`);
          else request.log.info({ ...log, changed }, `inbound ${keyword}: SMS consent updated`);
          return twiml(reply);
        }
        case 'help':
          return twiml(reply, helpReplyFor(w.config, contacts[0]?.locale));
        case 'other': {
          const kept = await keepSmsReply(w, fields, contacts);
          request.log.info({ ...log, ...kept }, 'inbound SMS kept for an agent');
          return twiml(reply);
        }
      }
    },
  );
}
