/**
 * The local outbox an end-to-end test owns and a child stack sends to. It checks the stack's SMS
 * requests with the Twilio token of the stack's own data folder, as `relance start` does.
 */
import { memoryOutboxStore, type OutboxStore } from '../../channels/outbox/outbox-store';
import { createOutboxServer, type OutboxServer } from '../../channels/outbox/server';
import { outboxCredentials } from '../../runtime/channels';
import { outboxTwilioToken } from '../../runtime/local-services';

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
