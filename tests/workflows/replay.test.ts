/**
 * Determinism guard: histories recorded from real runs (scripts/record-histories.ts) must replay
 * against today's workflow code. A change that breaks one would break sequences already running
 * in production; such a change needs patched() instead. Replay uses the data converter of every
 * worker (encrypted payloads); histories recorded before encryption hold plain payloads, which it
 * passes through, as it does for sequences that were running when encryption came.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import proto from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import { workflowsPath } from '../../runtime/paths';
import { createDataConverter } from '../../runtime/payload-codec';
import { FIXTURE_PAYLOAD_KEYS } from '../helpers/payload-keys';

const dir = fileURLToPath(new URL('../fixtures/histories', import.meta.url));
const files = readdirSync(dir).filter((f) => f.endsWith('.history.b64'));

describe('recorded workflow histories', () => {
  it('are there to replay', () => {
    expect(files.length).toBeGreaterThanOrEqual(5);
  });

  it("when they are all replayed on the current code with the workers' data converter, then each runs the same commands", async () => {
    const histories = files.map((file) => {
      const [workflowId = '', encoded = ''] = readFileSync(`${dir}/${file}`, 'utf8').split('\n');
      return {
        workflowId,
        history: proto.temporal.api.history.v1.History.decode(Buffer.from(encoded, 'base64')),
      };
    });
    const results = [];
    for await (const result of Worker.runReplayHistories(
      { workflowsPath, dataConverter: createDataConverter(FIXTURE_PAYLOAD_KEYS) },
      histories,
    ))
      results.push({ workflowId: result.workflowId, error: result.error ? String(result.error) : undefined });
    expect(results).toEqual(histories.map(({ workflowId }) => ({ workflowId, error: undefined })));
  });
});
