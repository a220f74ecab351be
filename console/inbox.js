// The inbox: open tasks, the signed-in person's, the overdue ones; sorted by due-by or amount.
import { useState } from 'preact/hooks';
import { html, notReady, useApi } from './ui.js';

const TABS = {
  open: () => 'status=open',
  mine: (me) => `status=claimed&owner=${encodeURIComponent(me.name)}`,
  overdue: () => 'overdue=true',
};
const SORTS = ['dueBy', '-dueBy', '-amount', 'amount'];

function Row({ w, task }) {
  return html`<tr data-testid="task-row" class=${task.overdue ? 'overdue-row' : ''}>
    <td><a href=${`#/task/${task.id}`}>${task.subject.kind} ${task.subjectIds.join(', ')}</a></td>
    <td>${task.reason}</td>
    <td>${task.status}${task.owner ? ` · ${task.owner}` : ''}</td>
    <td>
      ${w.dateTime(task.dueBy)}
      ${task.overdue && html` <span class="overdue" aria-label=${w.t('overdue')}>⚠ ${w.t('overdue')}</span>`}
    </td>
    <td>${task.currency ? w.money(task.amountDue, task.currency) : '—'}</td>
  </tr>`;
}

export function Inbox({ w, me }) {
  const [tab, setTab] = useState('open');
  const [sort, setSort] = useState('dueBy');
  const [answer] = useApi(`/v1/handoffs?${TABS[tab](me)}&sort=${sort}`);
  const tasks = answer?.body?.handoffs ?? [];
  return html`<h1>${w.t('inbox')}</h1>
    <div class="tabs" role="tablist">
      ${Object.keys(TABS).map(
        (name) =>
          html`<button
            type="button"
            role="tab"
            aria-selected=${tab === name ? 'true' : 'false'}
            onClick=${() => setTab(name)}
          >
            ${w.t(name)}
          </button>`,
      )}
      <label
        >${w.t('sortBy')}
        <select name="sort" value=${sort} onChange=${(e) => setSort(e.currentTarget.value)}>
          ${SORTS.map((s) => html`<option value=${s}>${w.t(s.replace('-', ''))} ${s.startsWith('-') ? '↓' : '↑'}</option>`)}
        </select>
      </label>
    </div>
    ${
      notReady(w, answer) ??
      (tasks.length === 0
        ? html`<p>${w.t('none')}</p>`
        : html`<table>
            <thead>
              <tr>
                <th scope="col">${w.t('subject')}</th>
                <th scope="col">${w.t('reason')}</th>
                <th scope="col">${w.t('status')}</th>
                <th scope="col">${w.t('dueBy')}</th>
                <th scope="col">${w.t('amount')}</th>
              </tr>
            </thead>
            <tbody>
              ${tasks.map((task) => html`<${Row} key=${task.id} w=${w} task=${task} />`)}
            </tbody>
          </table>`)
    }`;
}
