/**
 * How fast the Temporal server of a benchmark runs workflows that do nothing: started with the
 * same client calls, executed by a worker of this process, so a ratio against it shows what
 * Relance's own work costs rather than what the machine can do today.
 */
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';

export async function trivialWorkflowRate(address: string, count: number): Promise<number> {
  try {
    Runtime.install({ logger: new DefaultLogger('WARN') });
  } catch {
    // installed already by an earlier call
  }
  const taskQueue = `bench-trivial-${Date.now()}`;
  const connection = await NativeConnection.connect({ address });
  const worker = await Worker.create({
    connection,
    taskQueue,
    workflowsPath: fileURLToPath(new URL('./trivial.workflow.ts', import.meta.url)),
  });
  const client = new Client({ connection: await Connection.connect({ address }) });
  const running = worker.run();
  const started = performance.now();
  const ids = Array.from({ length: count }, (_, i) => `${taskQueue}/${i}`);
  for (let i = 0; i < ids.length; i += 100) {
    await Promise.all(
      ids
        .slice(i, i + 100)
        .map((workflowId) => client.workflow.start('trivialWorkflow', { taskQueue, workflowId })),
    );
  }
  await Promise.all(ids.map((id) => client.workflow.getHandle(id).result()));
  const seconds = (performance.now() - started) / 1000;
  worker.shutdown();
  await running;
  await connection.close();
  return count / seconds;
}
