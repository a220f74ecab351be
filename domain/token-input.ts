/** What a new API token needs: a name (who or what holds it) and a role. Shared by API and CLI. */
import { z } from 'zod';
import { formatPath, invalidInput } from './errors';
import { ROLES } from './roles';

/** A token's name says who or what holds it: a person, a system ("Billing export"). */
export const tokenInputSchema = z.strictObject({
  name: z
    .string({ message: 'a name: who or what holds the token' })
    .trim()
    .min(1, 'a name: who or what holds the token')
    .max(100, 'at most 100 characters')
    // eslint-disable-next-line no-control-regex
    .regex(/^[^\u0000-\u001f\u007f]*$/, 'no control characters'),
  role: z.enum(ROLES, { message: `a role: one of ${ROLES.join(', ')}` }),
});

export function parseTokenInput(body: unknown): z.infer<typeof tokenInputSchema> {
  const parsed = tokenInputSchema.safeParse(body);
  if (parsed.success) return parsed.data;
  throw invalidInput(
    parsed.error.issues.map((i) => ({ path: formatPath(i.path), message: i.message })),
    'Invalid token request',
  );
}
