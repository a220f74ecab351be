/**
 * `npm start`'s own local outbox: a thread of the stack with its store under the data folder.
 * What a new user sees through the API: `GET /v1/outbox` lists what it received, an erased
 * contact's copies lose their address and text there too, and a killed stack finds them again.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERASED } from '../../domain/erasure';
import { authHeaders } from '../helpers/api-auth';
import { startDevServer, type DevServer } from '../helpers/dev-server';
import { freePort, postJson, startStack, waitFor, type StackProcess } from '../helpers/stack-process';
import { alwaysOpen, contact, lateInvoice } from '../helpers/wall-events';

type Listed = { id: string; channel: string; to: string; subject?: string; text: string; receivedAt: string };

describe('when the stack runs its own outbox (no OUTBOX_URL), in a thread with a store of its own', () => {
  let dataDir = '';
  let temporal: DevServer | undefined;
  let stack: StackProcess | undefined;
  let env: Record<string, string> = {};

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'relance-own-outbox-'));
    temporal = await startDevServer(dataDir);
    env = {
      TEMPORAL_ADDRESS: temporal.address,
      RELANCE_DATA_DIR: join(dataDir, 'relance'),
      RELANCE_CLOCK: 'wall',
      RELANCE_CONFIG: alwaysOpen,
      OUTBOX_PORT: String(await freePort()),
    };
  }, 60_000);

  afterAll(async () => {
    await stack?.stop();
    await temporal?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const outbox = async (): Promise<Listed[]> => {
    const response = await fetch(`${stack?.apiUrl ?? ''}/v1/outbox`, { headers: authHeaders });
    return ((await response.json()) as { messages: Listed[] }).messages;
  };
  const fail = (error: unknown) => {
    throw new Error(`${String(error)}\n${stack?.output() ?? ''}`);
  };

  it('then a reminder reaches it, an erasure reaches its copy, and a killed stack finds both again', async () => {
    stack = await startStack(env);
    expect(stack.output()).toContain(`Outbox      http://127.0.0.1:${env.OUTBOX_PORT}`);
    const accepted = await postJson(`${stack.apiUrl}/v1/events`, [
      ...contact('marie'),
      lateInvoice('INV-1', 'marie'),
    ]);
    expect(accepted.status).toBe(202);
    await waitFor('the reminder in GET /v1/outbox', async () => (await outbox()).length > 0, 60_000).catch(
      fail,
    );
    const [reminder] = await outbox();
    expect(reminder).toMatchObject({ channel: 'email', to: 'marie@example.com' });
    expect(reminder?.text).toContain('FA-INV-1');

    const erasure = await postJson(`${stack.apiUrl}/v1/events`, {
      type: 'contact.erased',
      data: { contactId: 'marie' },
    });
    expect(erasure.status).toBe(202);
    await waitFor('the erased copy', async () => (await outbox())[0]?.to === ERASED, 30_000).catch(fail);
    // The copy stays (the provider received it), without its address, subject or text.
    expect(await outbox()).toEqual([
      { id: reminder?.id, channel: 'email', to: ERASED, text: ERASED, receivedAt: reminder?.receivedAt },
    ]);

    await stack.kill(); // SIGKILL: the outbox's thread dies with the stack
    stack = await startStack(env);
    expect((await outbox()).map((m) => [m.id, m.to, m.text])).toEqual([[reminder?.id, ERASED, ERASED]]);
  }, 240_000);
});
