// A campaign's controls for marketing and admin: pause, resume, cancel (asked twice: it is for
// good) through POST /v1/campaigns/{id}/pause|resume|cancel, and the audience count on demand
// (GET /v1/campaigns/{id}/audience). The API's answer replaces the row; a refusal is shown as the
// API words it.
import { useState } from 'preact/hooks';
import { api, refusalText } from './api.js';
import { html } from './ui.js';

/** The roles the API lets change a campaign (contract §7: marketing; admin may do everything). */
export const CONTROL_ROLES = ['marketing', 'admin'];

const FINAL = ['cancelled', 'completed'];

/** Which actions a status offers; the API still decides (another person may have acted since). */
function offered(status) {
  if (FINAL.includes(status)) return [];
  return [status === 'paused' ? 'resume' : 'pause', 'cancel'];
}

function Audience({ w, id }) {
  const [audience, setAudience] = useState(null);
  const count = async () => {
    setAudience({ busy: true });
    const answer = await api(`/v1/campaigns/${encodeURIComponent(id)}/audience`);
    setAudience(answer.ok ? { count: answer.body.count } : { refusal: refusalText(answer) });
  };
  return html`<button type="button" onClick=${count} disabled=${audience?.busy}>
      ${w.t('countAudience')}
    </button>
    ${
      audience?.count !== undefined &&
      html`<span role="status" data-testid="audience"
        >${w.t('audienceNow')}: ${w.number(audience.count)}</span
      >`
    }
    ${audience?.refusal && html`<span role="alert" class="error">${audience.refusal}</span>`}`;
}

export function CampaignControls({ w, campaign, onChanged }) {
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [result, setResult] = useState(null);
  const id = campaign.id;
  const act = async (action) => {
    setConfirming(false);
    setBusy(true);
    const answer = await api(`/v1/campaigns/${encodeURIComponent(id)}/${action}`, { method: 'POST' });
    setBusy(false);
    if (!answer.ok) return setResult({ ok: false, text: refusalText(answer) });
    setResult(answer.body.note ? { ok: true, text: answer.body.note } : null);
    onChanged(answer.body);
  };
  const button = (action) =>
    action === 'cancel'
      ? html`<button type="button" disabled=${busy} onClick=${() => setConfirming(true)}>
          ${w.t('cancelCampaign')}
        </button>`
      : html`<button type="button" disabled=${busy} onClick=${() => act(action)}>
          ${w.t(`${action}Campaign`)}
        </button>`;
  return html`<div class="controls" data-testid="campaign-controls">
    ${offered(campaign.status).map(button)} <${Audience} w=${w} id=${id} />
    ${
      confirming &&
      html`<p role="alertdialog" aria-label=${w.t('cancelCampaign')}>
        ${w.t('confirmCancel')}
        <button type="button" onClick=${() => act('cancel')}>${w.t('confirmCancelYes')}</button>
        <button type="button" onClick=${() => setConfirming(false)}>${w.t('confirmCancelNo')}</button>
      </p>`
    }
    ${
      result &&
      html`<p
        role=${result.ok ? 'status' : 'alert'}
        class=${result.ok ? 'ok' : 'error'}
        data-testid="campaign-result"
      >
        ${result.text}
      </p>`
    }
  </div>`;
}
