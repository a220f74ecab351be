// Every action of contract section 6 as one form: pick the action, fill its fields, record it.
// A refusal (400 naming the field, 409 saying why) is shown as the API wrote it.
import { useState } from 'preact/hooks';
import { api, refusalText } from './api.js';
import { html } from './ui.js';

const TYPES = [
  'claim',
  'note',
  'call_outcome',
  'promise_to_pay',
  'payment_plan',
  'resume_automation',
  'send_message',
  'close',
];
const OUTCOMES = ['answered', 'no_answer', 'voicemail', 'wrong_number'];
const RESOLUTIONS = ['paid', 'written_off', 'sent_to_collection', 'customer_right', 'other'];

/** The body of the action from the form's fields; empty optional fields are left out. */
function bodyOf(type, f) {
  const text = f.text?.trim() ? { text: f.text.trim() } : {};
  const force = f.force ? { force: true } : {};
  switch (type) {
    case 'note':
    case 'resume_automation':
      return { type, ...text };
    case 'call_outcome':
      return { type, outcome: f.outcome ?? 'answered', ...text };
    case 'promise_to_pay':
      return {
        type,
        promisedDate: f.promisedDate ?? '',
        ...(f.amount?.trim() ? { amount: f.amount.trim() } : {}),
      };
    case 'payment_plan':
      return {
        type,
        installments: (f.installments ?? '')
          .split('\n')
          .filter((l) => l.trim())
          .map((line) => {
            const [dueDate = '', amount = ''] = line.trim().split(/\s+/);
            return { dueDate, amount };
          }),
      };
    case 'send_message':
      return { type, channel: f.channel ?? 'email', text: f.text ?? '' };
    case 'close':
      return { type, resolution: f.resolution ?? 'paid', ...text };
    default:
      return { type, ...force };
  }
}

function Select({ label, name, options, value, set }) {
  return html`<label
    >${label}
    <select name=${name} value=${value} onChange=${(e) => set(name, e.currentTarget.value)}>
      ${options.map((o) => html`<option value=${o}>${o}</option>`)}
    </select></label
  >`;
}

function Fields({ w, type, f, set }) {
  const input = (name, label, kind = 'text') =>
    html`<label
      >${label}
      <input
        type=${kind}
        name=${name}
        value=${f[name] ?? ''}
        onInput=${(e) => set(name, e.currentTarget.value)}
    /></label>`;
  const area = (name, label) =>
    html`<label
      >${label}
      <textarea
        name=${name}
        rows="3"
        cols="40"
        value=${f[name] ?? ''}
        onInput=${(e) => set(name, e.currentTarget.value)}
      ></textarea>
    </label>`;
  switch (type) {
    case 'note':
    case 'resume_automation':
      return area('text', w.t('text'));
    case 'call_outcome':
      return html`<${Select}
          label=${w.t('outcome')}
          name="outcome"
          options=${OUTCOMES}
          value=${f.outcome}
          set=${set}
        />${area('text', w.t('text'))}`;
    case 'promise_to_pay':
      return html`${input('promisedDate', w.t('promisedDate'), 'date')}${input('amount', w.t('amount'))}`;
    case 'payment_plan':
      return area('installments', w.t('installments'));
    case 'send_message':
      return html`<${Select}
          label=${w.t('channel')}
          name="channel"
          options=${['email', 'sms']}
          value=${f.channel}
          set=${set}
        />${area('text', w.t('text'))}`;
    case 'close':
      return html`<${Select}
          label=${w.t('resolution')}
          name="resolution"
          options=${RESOLUTIONS}
          value=${f.resolution}
          set=${set}
        />${area('text', w.t('text'))}`;
    default:
      return html`<label
        ><input
          type="checkbox"
          name="force"
          checked=${!!f.force}
          onChange=${(e) => set('force', e.currentTarget.checked)}
        />
        ${w.t('force')}</label
      >`;
  }
}

export function ActionForm({ w, task, onDone }) {
  const [type, setType] = useState(task.status === 'open' ? 'claim' : 'note');
  const [fields, setFields] = useState({});
  const [result, setResult] = useState(null);
  const set = (name, value) => setFields((f) => ({ ...f, [name]: value }));
  const submit = async (e) => {
    e.preventDefault();
    const answer = await api(`/v1/handoffs/${task.id}/actions`, {
      method: 'POST',
      body: bodyOf(type, fields),
    });
    setResult(
      answer.ok
        ? { ok: true, text: answer.body?.message ?? w.t('done') }
        : { ok: false, text: refusalText(answer) },
    );
    if (answer.ok) {
      setFields({});
      onDone();
    }
  };
  return html`<section aria-labelledby="actions-h">
    <h2 id="actions-h">${w.t('actions')}</h2>
    <form class="action" onSubmit=${submit}>
      <label
        >${w.t('action')}
        <select
          name="type"
          value=${type}
          onChange=${(e) => {
            setType(e.currentTarget.value);
            setResult(null);
          }}
        >
          ${TYPES.map((t) => html`<option value=${t}>${w.t(t)}</option>`)}
        </select></label
      >
      <${Fields} w=${w} type=${type} f=${fields} set=${set} />
      <button type="submit">${w.t('submit')}</button>
    </form>
    ${result && html`<p role=${result.ok ? 'status' : 'alert'} class=${result.ok ? 'ok' : 'error'} data-testid="action-result">${result.text}</p>`}
  </section>`;
}
