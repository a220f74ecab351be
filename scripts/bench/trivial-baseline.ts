/**
 * How fast the Temporal server of a benchmark runs workflows that do nothing: started with the
 * same client calls, executed by a worker of this process, so a ratio against it shows what
 * Relance's own work costs rather than what the machine can do today.
 */
import { fileURLToPath } from 'node:url';
import { Client } from '@temporalio/client';
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
  // The same client as the stack's dispatcher: on the worker's connection, asking for eager starts.
  const client = new Client({ connection });
  const running = worker.run();
  const started = performance.now();
  const ids = Array.from({ length: count }, (_, i) => `${taskQueue}/${i}`);
  for (let i = 0; i < ids.length; i += 100) {
    await Promise.all(
      ids
        .slice(i, i + 100)
        .map((workflowId) =>
          client.workflow.start('trivialWorkflow', { taskQueue, workflowId, requestEagerStart: true }),
        ),
    );
  }
  await Promise.all(ids.map((id) => client.workflow.getHandle(id).result()));
  const seconds = (performance.now() - started) / 1000;
  worker.shutdown();
  await running;
  await connection.close();
  return count / seconds;
}
