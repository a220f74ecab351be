/**
 * Erasure on the real workflows (time-skipping server): after `contact.erased` nothing more
 * reaches the outbox and the contact's sequences end; and Temporal's histories, recorded or live,
 * carry ids, never a contact's name, email address or phone number. Live histories, as the
 * server stores them, are encrypted: not even the free text of a dispute shows.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Client } from '@temporalio/client';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import proto from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadScenario } from '../../cli/simulator/scenario';
import { runSimulation } from '../../cli/simulator/run-simulation';
import { getContact } from '../../store/contact-repository';
import { eraseContact } from '../../store/erasure-repository';
import type { Timeline } from '../../cli/simulator/timeline';
import { workflowsPath } from '../../runtime/paths';
import { createDataConverter } from '../../runtime/payload-codec';
import { generatePayloadKey, parsePayloadKeys } from '../../runtime/payload-keys';
import type { InvoiceEventSignal } from '../../workflows/messages';
import { FIXTURE_PAYLOAD_KEYS } from '../helpers/payload-keys';
import { examplePath, fixturePath } from '../helpers/simulate';

const History = proto.temporal.api.history.v1.History;
type History = proto.temporal.api.history.v1.IHistory;
const scenarioFile = fileURLToPath(new URL('../fixtures/scenarios/erasure.yaml', import.meta.url));
const erasedAt = '2026-03-20T11:00:00.000Z';
const disputeReason = 'Zéphyrine Q.-V. : carton reçu éventré au 14 allée des Tilleuls-Ombreux';
const payloadKeys = parsePayloadKeys(generatePayloadKey('test'));
const dataConverter = createDataConverter(payloadKeys);

/** The values of the history's `invoiceEvent` signals, decoded with the workers' data converter. */
async function decodedSignals(history: History): Promise<InvoiceEventSignal[]> {
  const payloads: Payload[] = (history.events ?? []).flatMap((e) => {
    const signal = e.workflowExecutionSignaledEventAttributes;
    return signal?.signalName === 'invoiceEvent' ? (signal.input?.payloads ?? []) : [];
  });
  let decoded = payloads;
  for (const codec of [...(dataConverter.payloadCodecs ?? [])].reverse())
    decoded = await codec.decode(decoded);
  return decoded.map((p) => defaultPayloadConverter.fromPayload<InvoiceEventSignal>(p));
}

/** A history as the bytes Temporal stores: payloads (JSON) appear there as plain UTF-8 text. */
const historyText = (bytes: Uint8Array) => Buffer.from(bytes).toString('utf8');

/** The personal data of a scenario's contacts, as they would appear in a payload. */
function personalData(contacts: { firstName?: string; lastName?: string; email?: string; phone?: string }[]) {
  return contacts
    .flatMap((c) => [c.firstName, c.lastName, c.email, c.phone])
    .filter((s): s is string => typeof s === 'string' && s.length > 0);
}

describe('a contact erased in the middle of its sequences', () => {
  let timeline: Timeline;
  const histories: { id: string; history: History; text: string }[] = [];
  let outbox: { receivedAt: string; channel: string }[] = [];

  beforeAll(async () => {
    timeline = await runSimulation(loadScenario(scenarioFile), {
      payloadKeys,
      async beforeTeardown(env, db) {
        // A client without the codec reads what the server stores, as anyone with access to it would.
        const raw = new Client({ connection: env.connection, namespace: env.namespace ?? 'default' });
        // The sequences, and the campaign's schedule loop and run (they carry no contact's id).
        const rows = await db.query<{ id: string }>(
          `select id from sequences union select 'campaign/' || id from campaigns
           union select 'campaign-run/' || run_id from campaign_runs order by id`,
        );
        for (const { id } of rows) {
          const history = await raw.workflow.getHandle(id).fetchHistory();
          // A patch (patched()) leaves its id in a marker and in the TemporalChangeVersion search
          // attribute, and a local activity its type, attempt and times beside its (encrypted)
          // result, all written by the SDK's core without the data converter: the plain payloads a
          // history may hold, and no one's data.
          const onlyChangeVersion = (fields: object | null | undefined) => {
            const keys = Object.keys(fields ?? {});
            return keys.length > 0 && keys.every((k) => k === 'TemporalChangeVersion');
          };
          const events = (history.events ?? [])
            .filter(
              (e) =>
                e.markerRecordedEventAttributes?.markerName !== 'core_patch' &&
                !onlyChangeVersion(
                  e.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields,
                ),
            )
            .map((e) => {
              const marker = e.markerRecordedEventAttributes;
              if (marker?.markerName !== 'core_local_activity') return e;
              const { data: _coreMetadata, ...details } = marker.details ?? {};
              return { ...e, markerRecordedEventAttributes: { ...marker, details } };
            });
          const text = historyText(History.encode(History.fromObject({ ...history, events })).finish());
          histories.push({ id, history, text });
        }
        outbox = (
          await db.query<{ received_at: Date; channel: string }>(
            'select received_at, channel from outbox_messages order by seq',
          )
        ).map((r) => ({ receivedAt: r.received_at.toISOString(), channel: r.channel }));
      },
    });
  }, 120_000);

  it('when the contact is erased after the D+1 reminder, then nothing more reaches the outbox', () => {
    expect(outbox.filter((m) => m.receivedAt >= erasedAt)).toEqual([]);
    expect(outbox).toHaveLength(2); // pre-due and overdue-1, both before the erasure
    expect(outbox.every((m) => m.receivedAt < erasedAt && m.channel === 'email')).toBe(true);
  });

  it('when the contact is erased, then its dunning sequence ends as erased and the later campaign run records the offer suppressed, do-not-contact', () => {
    expect(timeline.sequences).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          id: 'invoice-dunning/INV-ERASE-1',
          status: 'completed',
          outcome: 'erased',
        }),
      ]),
    );
    const offers = timeline.messages.filter((m) => m.subjectIds.includes('spring-offer'));
    expect(offers.map((m) => `${m.runId ?? ''}:${m.step ?? ''}:${m.status}:${m.reason ?? ''}`)).toEqual([
      'spring-offer/2026-03-24:offer:suppressed:do_not_contact',
    ]);
    expect(timeline.pending).toEqual([]);
  });

  it("when the contact is erased, then its disputed invoice's sequence ends as erased too", () => {
    expect(timeline.sequences).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          id: 'invoice-dunning/INV-ERASE-2',
          status: 'completed',
          outcome: 'erased',
        }),
      ]),
    );
  });

  it('when the simulator joins the outbox to the ledger after the erasure, then it reports no discrepancy', () => {
    expect(timeline.discrepancies).toEqual([]);
  });

  it('when the histories are read as the server stores them, then every payload is encrypted: no name, email, phone or dispute text', () => {
    const scenario = loadScenario(scenarioFile);
    const secrets = [...personalData(scenario.contacts), disputeReason, 'Tilleuls-Ombreux', 'c-erase'];
    expect(histories.map((h) => h.id).sort()).toEqual([
      'campaign-run/spring-offer/2026-03-24',
      'campaign/spring-offer',
      'invoice-dunning/INV-ERASE-1',
      'invoice-dunning/INV-ERASE-2',
    ]);
    for (const { id, text } of histories) {
      for (const secret of secrets) expect(text.includes(secret), `${id} holds "${secret}"`).toBe(false);
      expect(text, id).toContain('binary/encrypted');
      expect(text, id).not.toContain('json/plain'); // no payload left unencrypted
    }
  });

  it("when the histories are decoded with the workers' keys, then the dispute text is there, in its signal", async () => {
    const disputed = histories.find((h) => h.id === 'invoice-dunning/INV-ERASE-2');
    if (!disputed) throw new Error('no history of INV-ERASE-2');
    const signals = await decodedSignals(disputed.history);
    expect(signals.filter((v) => v.type === 'invoice.disputed').map((v) => v.data.reason)).toEqual([
      disputeReason,
    ]);
  });

  it("when the encrypted histories are replayed with the workers' data converter, then each runs the same commands", async () => {
    const results = [];
    for await (const r of Worker.runReplayHistories(
      { workflowsPath, dataConverter },
      histories.map(({ id, history }) => ({ workflowId: id, history })),
    ))
      results.push({ id: r.workflowId, error: r.error ? String(r.error) : undefined });
    expect(results).toEqual(histories.map(({ id }) => ({ id, error: undefined })));
  });
});

describe('a contact erased before its new dunning workflow reported', () => {
  const file = fileURLToPath(
    new URL('../fixtures/scenarios/erasure-right-after-issue.yaml', import.meta.url),
  );
  const ended = [
    expect.objectContaining({ id: 'invoice-dunning/INV-EARLY-1', status: 'completed', outcome: 'erased' }),
  ];

  it('when the erasure comes one second after the invoice and a campaign, then the dunning workflow is told at once and the campaign run finds the contact erased: no hand-off, nothing sent', async () => {
    const timeline = await runSimulation(loadScenario(file), {
      // The simulator gives new workflows time to write their sequence rows before the next event;
      // under load (the events in one dispatch) they have not: take the rows away to be that case.
      async onEvent(db, index) {
        if (index === 1) await db.query('delete from sequences');
      },
    });
    expect(timeline.sequences).toEqual(ended);
    expect(timeline.handoffs).toEqual([]);
    // Told at once, the dunning workflow ends before its pre-due step: the ledger has no reminder.
    // The campaign's run, at its send time, finds the contact erased: do-not-contact, nothing leaves.
    expect(timeline.messages.map((m) => `${m.step ?? ''}:${m.status}:${m.reason ?? ''}`)).toEqual([
      'offer:suppressed:do_not_contact',
    ]);
    expect(timeline.discrepancies).toEqual([]); // the outbox received nothing the ledger does not say was sent
    expect(timeline.pending).toEqual([]);
  }, 120_000);

  it('when the workflow meets the erasure at a step before its signal arrives, then it ends erased without a hand-off', async () => {
    const scenario = loadScenario(file);
    // Only the invoice reaches Temporal; the erasure is applied to the store alone, as when its
    // signal is still on its way: the pre-due step finds the contact erased.
    const issued = scenario.events.filter(({ event }) => event.type === 'invoice.issued');
    const timeline = await runSimulation(
      { ...scenario, events: issued },
      {
        async onEvent(db) {
          const contact = await getContact(db, 'c-early');
          if (contact) await db.transaction((tx) => eraseContact(tx, contact, '2026-03-02T08:00:01.000Z'));
        },
      },
    );
    expect(timeline.sequences).toEqual(ended);
    expect(timeline.handoffs).toEqual([]);
    expect(timeline.messages.map((m) => `${m.step ?? ''}:${m.status}:${m.reason ?? ''}`)).toEqual([
      'pre-due:suppressed:do_not_contact',
    ]);
  }, 120_000);
});

describe('the recorded workflow histories (tests/fixtures/histories)', () => {
  const dir = fileURLToPath(new URL('../fixtures/histories', import.meta.url));
  const files = readdirSync(dir).filter((f) => f.endsWith('.history.b64'));

  /** The history's bytes, then each payload decrypted with the fixture key (older ones are plain). */
  async function decodedText(bytes: Buffer): Promise<string> {
    const payloads: Payload[] = [];
    const visit = (node: unknown): void => {
      if (!node || typeof node !== 'object' || ArrayBuffer.isView(node)) return;
      if ('metadata' in node && 'data' in node) payloads.push(node as Payload);
      else Object.values(node).forEach(visit);
    };
    visit(History.decode(bytes));
    let decoded = payloads;
    for (const codec of [...(createDataConverter(FIXTURE_PAYLOAD_KEYS).payloadCodecs ?? [])].reverse())
      decoded = await codec.decode(decoded);
    return [historyText(bytes), ...decoded.map((p) => historyText(p.data ?? new Uint8Array()))].join('\n');
  }

  it.each(files)(
    'when %s is decoded, then no personal data of its scenario contacts appears',
    async (file) => {
      const name = `${file.split('--')[0] ?? ''}.yaml`; // an example, or a test fixture scenario
      const scenario = loadScenario(existsSync(examplePath(name)) ? examplePath(name) : fixturePath(name));
      const [, encoded = ''] = readFileSync(`${dir}/${file}`, 'utf8').split('\n');
      const text = await decodedText(Buffer.from(encoded, 'base64'));
      // The payloads were read (a sequence names its contact, a campaign's loop and runs their campaign).
      expect(text).toMatch(/"(contactId|campaignId)"/);
      for (const secret of personalData(scenario.contacts))
        expect(text.includes(secret), `${file} holds "${secret}"`).toBe(false);
    },
  );
});
