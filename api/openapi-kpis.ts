/** OpenAPI path of GET /v1/kpis (api/kpi-routes.ts); definitions as in domain/kpis.ts. */
const json = (schema: unknown) => ({ 'application/json': { schema } });
const money = (description: string) => ({ type: 'string', example: '1250.00', description });
const rate = (description: string) => ({ type: ['number', 'null'], minimum: 0, maximum: 1, description });
const date = (name: string, description: string) => ({
  name,
  in: 'query',
  required: true,
  description,
  schema: { type: 'string', format: 'date', example: name === 'from' ? '2026-04-01' : '2026-06-30' },
});

const currencyKpis = {
  type: 'object',
  properties: {
    dso: {
      type: 'object',
      description:
        'Days sales outstanding, receivables/revenue method: receivables open at the end of `to` ÷ amount invoiced in the period × days in the period; null when nothing was invoiced',
      properties: {
        days: { type: ['number', 'null'], example: 42.5 },
        receivables: money('Open at the end of `to` (invoices issued by then, not cancelled)'),
        invoiced: money('Invoices issued in the period'),
      },
    },
    ageing: {
      type: 'object',
      description:
        'What is open at the end of `to`, by days past due (`to` − due date): notYetDue ≤ 0, "0-30" 1–30, "31-60", "61-90", "90+" 91 and more',
      properties: Object.fromEntries(
        ['notYetDue', '0-30', '31-60', '61-90', '90+'].map((k) => [k, money(`Open amount, ${k}`)]),
      ),
    },
    recovery: {
      type: 'object',
      description:
        'Of what became overdue in the period (still open when the due date ended), the share paid by the end of `to`',
      properties: {
        becameOverdue: money('Open amounts at the end of due dates falling in the period'),
        recovered: money('Paid on those invoices after their due date, by the end of `to`'),
        rate: rate('recovered ÷ becameOverdue'),
      },
    },
  },
};

export const kpiPaths = {
  '/v1/kpis': {
    get: {
      summary:
        'Collection KPIs over the calendar days from `from` to `to` (both included, UTC days; at most 2 years): DSO, overdue ageing and recovery rate per currency; share paid before due, reminders per paid invoice, opt-out rate. Cancelled invoices count nowhere.',
      parameters: [
        date('from', 'First day of the period'),
        date('to', 'Last day of the period, on or after `from`'),
      ],
      responses: {
        '200': {
          description: 'The KPIs',
          content: json({
            type: 'object',
            properties: {
              from: { type: 'string', format: 'date' },
              to: { type: 'string', format: 'date' },
              days: { type: 'integer', description: 'Days in the period' },
              byCurrency: {
                type: 'object',
                additionalProperties: currencyKpis,
                description: 'By ISO 4217 code',
              },
              paidBeforeDue: {
                type: 'object',
                description:
                  'Of the invoices paid in full in the period, those paid in full by the end of their due date',
                properties: {
                  paidInFull: { type: 'integer' },
                  beforeDue: { type: 'integer' },
                  share: rate('beforeDue ÷ paidInFull'),
                },
              },
              remindersPerPaidInvoice: {
                type: 'object',
                description:
                  'For the invoices paid in full in the period: dunning messages sent about each until then (each channel counts), on average',
                properties: {
                  paidInFull: { type: 'integer' },
                  reminders: { type: 'integer' },
                  average: { type: ['number', 'null'], example: 1.5 },
                },
              },
              optOut: {
                type: 'object',
                description:
                  'Contacts sent a message in the period, and those of them who withdrew a consent in it',
                properties: {
                  contactsMessaged: { type: 'integer' },
                  contactsWithdrew: { type: 'integer' },
                  rate: rate('contactsWithdrew ÷ contactsMessaged'),
                },
              },
            },
          }),
        },
        '400': {
          description: 'query.from or query.to not a date, `to` before `from`, or more than 2 years',
          content: json({ $ref: '#/components/schemas/Error' }),
        },
      },
    },
  },
};
