/**
 * Determinism guard: histories recorded from real runs (scripts/record-histories.ts) must replay
 * against today's workflow code. A change that breaks one would break sequences already running
 * in production; such a change needs patched() instead.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import proto from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import { workflowsPath } from '../../runtime/paths';

const dir = fileURLToPath(new URL('../fixtures/histories', import.meta.url));
const files = readdirSync(dir).filter((f) => f.endsWith('.history.b64'));

describe('recorded workflow histories', () => {
  it('are there to replay', () => {
    expect(files.length).toBeGreaterThanOrEqual(5);
  });

  it.each(files)('when %s is replayed on the current code, then it runs the same commands', async (file) => {
    const [workflowId = '', encoded = ''] = readFileSync(`${dir}/${file}`, 'utf8').split('\n');
    const history = proto.temporal.api.history.v1.History.decode(Buffer.from(encoded, 'base64'));
    await expect(Worker.runReplayHistory({ workflowsPath }, history, workflowId)).resolves.toBeUndefined();
  });
});
