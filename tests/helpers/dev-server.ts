/**
 * A real Temporal dev server (`temporal server start-dev`, the binary `npm start` uses) on
 * ephemeral ports, with its SQLite history in a folder the test owns, so a test can kill it and
 * start it again on the same history and port. Global setup located or built the CLI once.
 */
import { startTemporalDevServer, type TemporalDevServer } from '../../runtime/local-services';
import { freePort } from './stack-process';

export interface DevServer {
  address: string;
  /** Kills the server (SIGKILL: a crash; SIGTERM: a stop) and waits for it to exit. */
  kill(signal: 'SIGKILL' | 'SIGTERM'): Promise<void>;
  /** Starts it again on the same history file and port. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export async function startDevServer(dataDir: string): Promise<DevServer> {
  const failed = process.env.RELANCE_TEMPORAL_CLI_ERROR;
  if (failed) throw new Error(`No Temporal CLI for this test: ${failed}`);
  const port = await freePort();
  const uiPort = await freePort();
  let server: TemporalDevServer = await startTemporalDevServer(dataDir, port, uiPort);
  const exited = (s: TemporalDevServer) =>
    s.process.exitCode !== null || s.process.signalCode !== null
      ? Promise.resolve()
      : new Promise<void>((resolve) => s.process.once('exit', () => resolve()));
  return {
    address: `127.0.0.1:${port}`,
    async kill(signal) {
      const done = exited(server);
      server.process.kill(signal);
      await done;
    },
    async restart() {
      await exited(server);
      server = await startTemporalDevServer(dataDir, port, uiPort);
    },
    stop: () => server.stop(),
  };
}
