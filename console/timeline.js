// The task's timeline, oldest first: messages (with the policy checks that decided each), the
// task's events (notes, calls, promises, actions), and the contact's replies, events (payments,
// disputes) and consent changes.
import { html } from './ui.js';

const summary = (data) =>
  Object.entries(data ?? {})
    .filter(([, v]) => v !== null && v !== undefined)
    .map(([k, v]) => `${k}: ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
    .join(' · ');

function Checks({ checks }) {
  if (!checks?.length) return null;
  return html`<ul class="checks" aria-label="policy">
    ${checks.map((c) => html`<li>${c.ok ? '✓' : '✗'} ${c.rule}: ${c.detail}</li>`)}
  </ul>`;
}

function Entry({ w, entry }) {
  const when = html`<time datetime=${entry.at}>${w.dateTime(entry.at)}</time>`;
  switch (entry.kind) {
    case 'message': {
      const m = entry.message;
      return html`<li data-kind="message">
        ${when} · <strong>${w.t('message')}</strong> ${m.channel} ${m.step} ·
        ${m.status}${m.reason ? ` (${m.reason})` : ''} ${m.subject ? `· ${m.subject}` : ''}
        <${Checks} checks=${m.decision} />
      </li>`;
    }
    case 'task':
      return html`<li data-kind="task-event" data-type=${entry.type}>
        ${when} · <strong>${w.t(entry.type)}</strong> ${entry.by ? ` · ${entry.by}` : ''}
        ${summary(entry.data) && html`<div>${summary(entry.data)}</div>`}
      </li>`;
    case 'reply':
      return html`<li data-kind="reply">
        ${when} · <strong>${w.t('reply')}</strong> ${entry.reply.channel}
        ${entry.reply.labels?.length ? `[${entry.reply.labels.join(', ')}]` : ''}
        <div>${entry.reply.text}</div>
      </li>`;
    case 'consent':
      return html`<li data-kind="consent">
        ${when} · <strong>${w.t('consent')}</strong> ${entry.consent.channel} ${entry.consent.purpose} ·
        ${w.t(entry.consent.granted ? 'granted' : 'withdrawn')}
      </li>`;
    default:
      return html`<li data-kind="event">
        ${when} · <strong>${w.t('event')}</strong> ${entry.event.type}
        <div>${summary(entry.event.data)}</div>
      </li>`;
  }
}

export function Timeline({ w, task, contactEntries }) {
  const own = task.timeline.map((e) => (e.kind === 'event' ? { ...e, kind: 'task' } : e));
  const others = contactEntries.filter((e) => ['reply', 'consent', 'event'].includes(e.kind));
  const entries = [...own, ...others].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  return html`<section aria-labelledby="timeline-h">
    <h2 id="timeline-h">${w.t('timeline')}</h2>
    <ol class="timeline" data-testid="timeline">
      ${entries.map((entry) => html`<${Entry} w=${w} entry=${entry} />`)}
    </ol>
  </section>`;
}
