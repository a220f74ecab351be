/**
 * The local outbox an end-to-end test owns and a child stack sends to. It checks the stack's SMS
 * requests with the Twilio token of the stack's own data folder, as `relance start` does.
 */
import { memoryOutboxStore, type OutboxStore } from '../../channels/outbox/outbox-store';
import { createOutboxServer, type OutboxServer } from '../../channels/outbox/server';
import { outboxCredentials } from '../../runtime/channels';
import { outboxTwilioToken } from '../../runtime/local-services';
import { waitFor } from './stack-process';

export interface TestOutbox {
  store: OutboxStore;
  server: OutboxServer;
  url: string;
}

/** Starts an outbox on an ephemeral port; `store` lets a test hook into what is recorded. */
export async function startTestOutbox(
  stackDataDir: string,
  store: OutboxStore = memoryOutboxStore(),
): Promise<TestOutbox> {
  const server = createOutboxServer({
    store,
    ...outboxCredentials(outboxTwilioToken(stackDataDir)),
    logger: false,
  });
  return { store, server, url: await server.listen(0, '127.0.0.1') };
}

/** How many messages the outbox holds for `<who>@example.com`. */
export const receivedBy = async (store: OutboxStore, who: string): Promise<number> =>
  (await store.list({ to: `${who}@example.com` })).length;

/**
 * Waits (60 s at most) until each of `who` has at least one message in the outbox; on a time-out
 * the error carries the child stack's output, which says why.
 */
export function arrivedFor(
  store: OutboxStore,
  who: string[],
  stackOutput: () => string = () => '',
): Promise<void> {
  return waitFor(
    `messages to ${who.join(', ')}`,
    async () => {
      for (const to of who) if ((await receivedBy(store, to)) === 0) return undefined;
      return true;
    },
    60_000,
  ).catch((error: unknown) => {
    throw new Error(`${String(error)}\n${stackOutput()}`);
  });
}
