/**
 * Compile-time proof that the zod schemas produce exactly the shapes domain/ declares
 * (domain/config-shapes.ts): a schema change the domain does not know of fails `tsc` here.
 */
import type { z } from 'zod';
import type {
  CapConfig,
  PolicyConfig,
  ScheduleConfig,
  StepConfig,
  WindowConfig,
  WindowRange,
} from '../domain/config-shapes';
import type { capSchema, policySchema, windowRangeSchema, windowSchema } from './schema';
import type { scheduleSchema, stepSchema } from './schedule-schema';

/** True when each type is assignable to the other. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

export const domainShapesMatch: {
  cap: Same<z.infer<typeof capSchema>, CapConfig>;
  windowRange: Same<z.infer<typeof windowRangeSchema>, WindowRange>;
  window: Same<z.infer<typeof windowSchema>, WindowConfig>;
  policy: Same<z.infer<typeof policySchema>, PolicyConfig>;
  step: Same<z.infer<typeof stepSchema>, StepConfig>;
  schedule: Same<z.infer<typeof scheduleSchema>, ScheduleConfig>;
} = { cap: true, windowRange: true, window: true, policy: true, step: true, schedule: true };
