// KPIs of a chosen period (GET /v1/kpis): DSO, reminders per paid invoice, and charts of the
// overdue ageing and of recovery, paid-before-due and opt-out rates. Money per currency.
import { useEffect, useRef, useState } from 'preact/hooks';
import { html, notReady, useApi } from './ui.js';

const BUCKETS = ['notYetDue', '0-30', '31-60', '61-90', '90+'];
const iso = (d) => d.toISOString().slice(0, 10);

function defaultPeriod() {
  const to = new Date();
  const from = new Date(Date.UTC(to.getUTCFullYear(), to.getUTCMonth() - 2, 1));
  return { from: iso(from), to: iso(to) };
}

/** A chart.js bar chart on a canvas, drawn again when its data changes; no animation. */
function BarChart({ label, labels, values, format }) {
  const canvas = useRef(null);
  useEffect(() => {
    const chart = new window.Chart(canvas.current, {
      type: 'bar',
      data: { labels, datasets: [{ label, data: values, backgroundColor: '#1d3557' }] },
      options: {
        animation: false,
        maintainAspectRatio: false,
        plugins: { tooltip: { callbacks: { label: (c) => format(c.parsed.y) } } },
        scales: { y: { beginAtZero: true, ticks: { callback: (v) => format(v) } } },
      },
    });
    return () => chart.destroy();
  }, [JSON.stringify(labels), JSON.stringify(values), label]);
  return html`<div class="chart"><canvas ref=${canvas} role="img" aria-label=${label}></canvas></div>`;
}

function Currency({ w, currency, k }) {
  const money = (v) => w.money(v, currency);
  return html`<section aria-labelledby=${`ageing-${currency}`}>
    <h2 id=${`ageing-${currency}`}>${w.t('ageing')} (${currency})</h2>
    <p>
      ${w.t('receivables')}: ${money(k.dso.receivables)} · ${w.t('dso')}:
      <strong class="figure" data-testid="dso">${w.number(k.dso.days)}</strong>
    </p>
    <${BarChart}
      label=${`${w.t('ageing')} ${currency}`}
      labels=${BUCKETS.map((b) => (b === 'notYetDue' ? w.t(b) : `${b} ${w.t('days')}`))}
      values=${BUCKETS.map((b) => Number(k.ageing[b]))}
      format=${money}
    />
  </section>`;
}

function Report({ w, kpis }) {
  const first = Object.values(kpis.byCurrency)[0];
  const rates = [
    [w.t('recovery'), first?.recovery.rate],
    [w.t('paidBeforeDue'), kpis.paidBeforeDue.share],
    [w.t('optOut'), kpis.optOut.rate],
  ];
  return html`<div class="grid">
      <section>
        <h2>${w.t('remindersPerPaid')}</h2>
        <p class="figure" data-testid="reminders-per-paid">
          ${w.number(kpis.remindersPerPaidInvoice.average)}
        </p>
        <p>${kpis.remindersPerPaidInvoice.reminders} / ${kpis.remindersPerPaidInvoice.paidInFull}</p>
      </section>
      ${rates.map(
        ([label, value]) =>
          html`<section>
            <h2>${label}</h2>
            <p class="figure">${w.percent(value)}</p>
          </section>`,
      )}
    </div>
    <section aria-labelledby="rates-h">
      <h2 id="rates-h">${w.t('rates')}</h2>
      <${BarChart}
        label=${w.t('rates')}
        labels=${rates.map(([l]) => l)}
        values=${rates.map(([, v]) => v ?? 0)}
        format=${w.percent}
      />
    </section>
    ${Object.entries(kpis.byCurrency).map(([currency, k]) => html`<${Currency} w=${w} currency=${currency} k=${k} />`)}`;
}

export function FinancePage({ w }) {
  const [period, setPeriod] = useState(defaultPeriod);
  const [draft, setDraft] = useState(period);
  const [answer] = useApi(`/v1/kpis?from=${period.from}&to=${period.to}`);
  const field = (name) =>
    html`<label
      >${w.t(name)}
      <input
        type="date"
        name=${name}
        value=${draft[name]}
        onInput=${(e) => setDraft({ ...draft, [name]: e.currentTarget.value })}
    /></label>`;
  return html`<h1>${w.t('finance')}</h1>
    <form
      class="action"
      onSubmit=${(e) => {
        e.preventDefault();
        setPeriod(draft);
      }}
    >
      ${field('from')} ${field('to')} <button type="submit">${w.t('show')}</button>
    </form>
    ${notReady(w, answer) ?? html`<${Report} w=${w} kpis=${answer.body} />`}`;
}
