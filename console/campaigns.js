// Campaigns (GET /v1/campaigns): status, next run, and each run with what it did; marketing and
// admin also pause, resume, cancel and count the audience (campaign-controls.js).
import { useState } from 'preact/hooks';
import { CampaignControls, CONTROL_ROLES } from './campaign-controls.js';
import { html, notReady, useApi } from './ui.js';

const COUNTS = ['targeted', 'sent', 'deferred', 'failed'];
const suppressedCount = (s) => Object.values(s ?? {}).reduce((a, b) => a + Number(b), 0);

function Runs({ w, runs }) {
  if (runs.length === 0) return html`<p>${w.t('none')}</p>`;
  return html`<table>
    <caption>
      ${w.t('runs')}
    </caption>
    <thead>
      <tr>
        <th scope="col">${w.t('runs')}</th>
        <th scope="col">${w.t('status')}</th>
        ${COUNTS.map((c) => html`<th scope="col">${w.t(c)}</th>`)}
        <th scope="col">${w.t('suppressed')}</th>
      </tr>
    </thead>
    <tbody>
      ${runs.map(
        (r) =>
          html`<tr>
            <td>${r.runId}<br /><small>${w.dateTime(r.startedAt)}</small></td>
            <td>${r.status}</td>
            ${COUNTS.map((c) => html`<td>${r[c]}</td>`)}
            <td title=${JSON.stringify(r.suppressed)}>${suppressedCount(r.suppressed)}</td>
          </tr>`,
      )}
    </tbody>
  </table>`;
}

/** One campaign; an action's answer (the campaign as the API now sees it) replaces it. */
function Campaign({ w, me, initial }) {
  const [c, setCampaign] = useState(initial);
  return html`<section aria-labelledby=${`c-${c.id}`} data-testid="campaign" data-id=${c.id}>
    <h2 id=${`c-${c.id}`}>
      ${c.definition?.name ?? c.id} <span class="badge" data-testid="campaign-status">${c.status}</span>
    </h2>
    <p>${w.t('nextRun')}: ${c.nextRun ? w.dateTime(c.nextRun.opensAt) : '—'}</p>
    ${
      CONTROL_ROLES.includes(me?.role) &&
      html`<${CampaignControls} w=${w} campaign=${c} onChanged=${setCampaign} />`
    }
    <${Runs} w=${w} runs=${c.runs} />
  </section>`;
}

export function CampaignsPage({ w, me }) {
  const [answer] = useApi('/v1/campaigns');
  const campaigns = answer?.body?.campaigns ?? [];
  return html`<h1>${w.t('campaigns')}</h1>
    ${
      notReady(w, answer) ??
      (campaigns.length === 0
        ? html`<p>${w.t('none')}</p>`
        : campaigns.map((c) => html`<${Campaign} key=${c.id} w=${w} me=${me} initial=${c} />`))
    }`;
}
