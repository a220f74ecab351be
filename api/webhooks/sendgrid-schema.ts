/**
 * The SendGrid Event Webhook payload: a JSON array of events, each with at least `email` and
 * `event`. Custom args (relance_message_id, relance_key) come back as top-level fields; fields
 * SendGrid adds later pass through untouched.
 */
import { z } from 'zod';
import { formatPath, invalidInput } from '../../domain/errors';
import { jsonValueIssues } from '../../domain/text-guard';

export const sendgridEventSchema = z.looseObject({
  email: z.string().trim().min(1, 'the recipient address'),
  event: z.string().min(1, 'the event name'),
  timestamp: z.number().nonnegative().optional(),
  sg_event_id: z.string().optional(),
  sg_message_id: z.string().optional(),
  relance_message_id: z.string().optional(),
  relance_key: z.string().optional(),
  type: z.string().optional(),
  reason: z.string().optional(),
  status: z.string().optional(),
  asm_group_id: z.union([z.number(), z.string()]).optional(),
});

const batchSchema = z.array(sendgridEventSchema, { error: 'a JSON array of SendGrid events' });

/** Parses the raw body; throws INVALID_INPUT naming every offending field path. */
export function parseSendgridEvents(raw: Buffer): z.infer<typeof batchSchema> {
  let body: unknown;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw invalidInput([{ path: '(root)', message: `not JSON: ${detail}` }], 'The events are not JSON');
  }
  const unstorable = jsonValueIssues(body, [], { maxDepth: 32 });
  if (unstorable.length > 0)
    throw invalidInput(unstorable, 'The SendGrid events were rejected; nothing was applied');
  const parsed = batchSchema.safeParse(body);
  if (parsed.success) return parsed.data;
  throw invalidInput(
    parsed.error.issues.map((i) => ({ path: formatPath(i.path), message: i.message })),
    'The SendGrid events were rejected; nothing was applied',
  );
}
