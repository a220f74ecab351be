/**
 * The simulator's outbox stamps what it receives with the simulator's clock, which otherwise moves
 * only between scenario events. Wrapping each activity moves that clock to the attempt's simulated
 * time (time stands still on a time-skipping server while activities run), so `receivedAt` is
 * when the provider really got the message in simulated time. A local activity's scheduled time
 * is the worker's wall clock, not the simulated one: a local activity moves the clock only by the
 * workflow time its input carries (a send's first attempt, see activityNow).
 */
import { Context } from '@temporalio/activity';

function workflowTimeOf(input: unknown): number | undefined {
  const at: unknown =
    typeof input === 'object' && input !== null && 'workflowTime' in input ? input.workflowTime : undefined;
  return typeof at === 'string' ? Date.parse(at) : undefined;
}

export function followActivityClock<T extends object>(activities: T, clock: { ms: number }): T {
  const wrapped: Record<string, unknown> = {};
  for (const [name, fn] of Object.entries(activities as Record<string, unknown>)) {
    wrapped[name] =
      typeof fn === 'function'
        ? (...args: unknown[]): unknown => {
            const { info } = Context.current();
            const at = info.isLocal ? workflowTimeOf(args[0]) : info.currentAttemptScheduledTimestampMs;
            if (at !== undefined) clock.ms = Math.max(clock.ms, at);
            return Reflect.apply(fn, activities, args) as unknown;
          }
        : fn;
  }
  return wrapped as T;
}
