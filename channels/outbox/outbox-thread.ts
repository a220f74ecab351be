/**
 * The stack's local outbox in a thread of its own, with a store of its own (`.data/outbox`, or
 * the stack's PostgreSQL database when DATABASE_URL is set). A provider is another system: with
 * the outbox on the stack's thread and in its embedded database, each request a campaign sent
 * was parsed, checked and written on the thread that also decides, renders and records the next
 * page, and the machine's other core stood idle. Here the outbox works beside the stack, as
 * SendGrid and Twilio would. What reaches it from the stack: the SDKs' requests, a contact's
 * erasure (`POST /_outbox/erasures`, from the event dispatcher) and `GET /v1/outbox`'s listing.
 */
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import type { OutboxCredentials } from '../../runtime/channels';

export interface OutboxThreadOptions extends OutboxCredentials {
  /** `pglite:///abs/dir` (its own database, migrated by the thread) or the stack's `postgres://…`. */
  dbUrl: string;
  port: number;
  host: string;
}

export interface OutboxThread {
  url: string;
  close(): Promise<void>;
}

export type OutboxThreadMessage = { type: 'ready'; url: string } | { type: 'failed'; message: string };

/**
 * The thread's heap: a young generation of 16 MB (V8 sizes it from the machine's memory, and the
 * thread's garbage is a request's parse) keeps about 90 MB off the stack at 100,000 offers; the
 * old generation's ceiling leaves room for SendGrid's largest request (30 MB) several times over.
 */
const RESOURCE_LIMITS = { maxYoungGenerationSizeMb: 16, maxOldGenerationSizeMb: 1024 };

/** Starts the thread; resolves once it listens. `onFailure`: the thread died after starting. */
export async function startOutboxThread(
  options: OutboxThreadOptions,
  onFailure: (error: Error) => void,
): Promise<OutboxThread> {
  const entry = new URL('./outbox-thread-main.ts', import.meta.url).href;
  const worker = new Worker(new URL('./thread-boot.mjs', import.meta.url), {
    workerData: { entry, options },
    resourceLimits: RESOURCE_LIMITS,
  });
  const [first] = (await Promise.race([
    once(worker, 'message'),
    once(worker, 'error').then(([error]) => [{ type: 'failed', message: String(error) }]),
  ])) as [OutboxThreadMessage];
  if (first.type !== 'ready') {
    await worker.terminate();
    throw new Error(`The local outbox did not start: ${first.message}`);
  }
  let closing = false;
  worker.on('error', (error) => {
    if (!closing) onFailure(error);
  });
  worker.on('exit', (code) => {
    if (!closing) onFailure(new Error(`the local outbox's thread exited (${code})`));
  });
  return {
    url: first.url,
    async close() {
      closing = true;
      const exited = once(worker, 'exit');
      worker.postMessage({ type: 'close' });
      const timeout = new Promise((resolve) => setTimeout(resolve, 10_000).unref());
      if ((await Promise.race([exited.then(() => 'exited'), timeout])) !== 'exited') await worker.terminate();
    },
  };
}
