// One task: its subject, the contact and their consent history, one timeline (the task's messages
// with the policy checks that decided each, its notes and actions; the contact's replies, events
// and consent changes), and the agent's actions.
import { html, notReady, useApi } from './ui.js';
import { ActionForm } from './task-actions.js';
import { Timeline } from './timeline.js';

const ITEM_URLS = { card: 'cards', voucher: 'vouchers', points: 'points' };

function Fields({ value }) {
  const scalar = Object.entries(value ?? {}).filter(([, v]) => v !== null && typeof v !== 'object');
  return html`<dl class="grid">
    ${scalar.map(
      ([k, v]) =>
        html`<div>
          <dt>${k}</dt>
          <dd>${String(v)}</dd>
        </div>`,
    )}
  </dl>`;
}

function Invoice({ w, invoice }) {
  return html`<div data-testid="subject-invoice">
    <h3>${invoice.number ?? invoice.id} · ${invoice.status}</h3>
    <p>
      ${w.t('amount')}: ${w.money(invoice.amount, invoice.currency)} · ${w.t('dueBy')}:
      ${w.date(invoice.dueDate)} · <strong>${w.money(invoice.amountDue, invoice.currency)}</strong>
    </p>
    ${invoice.dispute && html`<p>⚖ ${invoice.dispute.status}: ${invoice.dispute.reason}</p>`}
    ${invoice.promiseToPay && html`<p>🤝 ${w.t('promise_to_pay')}: ${w.date(invoice.promiseToPay.date)}</p>`}
    ${
      invoice.paymentPlan &&
      html`<p>
        ${w.t('payment_plan')} (${invoice.paymentPlan.status}):
        ${invoice.paymentPlan.installments.map((i) => `${w.date(i.dueDate)} ${w.money(i.amount, invoice.currency)}`).join(' · ')}
      </p>`
    }
  </div>`;
}

function Item({ w, kind, id }) {
  const [answer] = useApi(ITEM_URLS[kind] ? `/v1/${ITEM_URLS[kind]}/${encodeURIComponent(id)}` : null);
  if (!ITEM_URLS[kind]) return html`<p>${kind} ${id}</p>`;
  const body = answer?.body ?? {};
  const item = body.card ?? body.voucher ?? body.lot;
  return (
    notReady(w, answer) ??
    html`<div data-testid="subject-item">
      <h3>${kind} ${id}</h3>
      <${Fields} value=${item} />
    </div>`
  );
}

function Subject({ w, task }) {
  const { kind, ids, invoices = [] } = task.subject;
  return html`<section aria-labelledby="subject-h">
    <h2 id="subject-h">${w.t('subject')}</h2>
    ${
      kind === 'invoice'
        ? invoices.map((invoice) => html`<${Invoice} w=${w} invoice=${invoice} />`)
        : ids.map((id) => html`<${Item} w=${w} kind=${kind} id=${id} />`)
    }
  </section>`;
}

function Contact({ w, contact }) {
  const [answer] = useApi(contact ? `/v1/contacts/${encodeURIComponent(contact.id)}/consents` : null);
  if (!contact) return null;
  const consents = answer?.body?.consents ?? [];
  return html`<section aria-labelledby="contact-h">
    <h2 id="contact-h">${w.t('contact')}</h2>
    <p>
      ${[contact.firstName, contact.lastName].filter(Boolean).join(' ') || contact.id} ·
      ${contact.email ?? ''} ${contact.phone ?? ''} · ${contact.locale} · ${contact.timezone}
      ${contact.doNotContact && html` · <strong class="error">do-not-contact</strong>`}
    </p>
    <h3>${w.t('consents')}</h3>
    ${
      notReady(w, answer) ??
      (consents.length === 0
        ? html`<p>${w.t('none')}</p>`
        : html`<ul>
            ${consents.map(
              (c) =>
                html`<li>
                  ${w.dateTime(c.at)} · ${c.channel} ${c.purpose} ·
                  <strong>${w.t(c.granted ? 'granted' : 'withdrawn')}</strong> · ${c.legalBasis}
                  ${c.source ?? ''}
                </li>`,
            )}
          </ul>`)
    }
  </section>`;
}

export function TaskPage({ w, me, id }) {
  const [answer, reload] = useApi(`/v1/handoffs/${encodeURIComponent(id)}`);
  const task = answer?.body;
  const [contactTimeline, reloadContact] = useApi(
    task?.contactId ? `/v1/contacts/${encodeURIComponent(task.contactId)}/timeline` : null,
  );
  const refresh = () => {
    reload();
    reloadContact();
  };
  return html`<p><a href="#/inbox">← ${w.t('back')}</a></p>
    ${
      notReady(w, answer) ??
      html`<h1>
          ${task.subject.kind} ${task.subjectIds.join(', ')} ·
          <span data-testid="task-status">${task.status}</span>
        </h1>
        <p>
          ${task.reason} · ${w.t('owner')}: <span data-testid="task-owner">${task.owner ?? '—'}</span> ·
          ${w.t('dueBy')}: ${w.dateTime(task.dueBy)}
          ${task.overdue && html` <span class="overdue">⚠ ${w.t('overdue')}</span>`}
          ${task.resolution && html` · ${w.t('resolution')}: ${task.resolution}`}
        </p>
        <${Subject} w=${w} task=${task} />
        <${Contact} w=${w} contact=${task.contact} />
        ${task.status !== 'resolved' && html`<${ActionForm} w=${w} me=${me} task=${task} onDone=${refresh} />`}
        <${Timeline} w=${w} task=${task} contactEntries=${contactTimeline?.body?.entries ?? []} />`
    }`;
}
