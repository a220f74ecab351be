/**
 * The OpenAPI description's access part, written from the route table (api/auth.ts) so it
 * cannot drift from what the hook enforces: a bearer scheme, and per operation its roles
 * (`x-relance-roles` and a sentence of its description), or `security: []` for public routes.
 */
import type { Access } from '../domain/roles';
import type { RouteEntry } from './auth';

type Operation = {
  description?: string;
  security?: unknown[];
  'x-relance-roles'?: readonly string[];
  responses?: Record<string, unknown>;
};
type Paths = Record<string, Record<string, Operation | undefined> | undefined>;

export const bearerScheme = {
  bearerAuth: {
    type: 'http',
    scheme: 'bearer',
    description:
      'An API token (`relance tokens create --role R --name N`, or RELANCE_ADMIN_TOKEN for admin). Roles: admin (everything), finance (events of invoices and contacts, invoices, schedules, KPIs), marketing (contacts, consents, campaigns, templates), agent (hand-offs and their subjects, timelines).',
  },
};

const errorRef = { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } };

function accessSentence(access: Access): string {
  return access === 'public'
    ? 'Public: no API token; the caller proves itself otherwise (a provider signature or a signed link).'
    : `Roles: ${access.join(', ')} (API token in "Authorization: Bearer <token>").`;
}

function annotate(operation: Operation, access: Access): void {
  operation.description = [operation.description, accessSentence(access)].filter(Boolean).join('\n\n');
  if (access === 'public') {
    operation.security = [];
    return;
  }
  operation['x-relance-roles'] = access;
  operation.responses = {
    ...operation.responses,
    '401': { description: 'UNAUTHENTICATED: no token, or an unknown or revoked one', content: errorRef },
    '403': {
      description: 'FORBIDDEN: the token has another role; the message names those allowed',
      content: errorRef,
    },
  };
}

/** Writes each route's access into the operations `paths` describes (`:id` becomes `{id}`). */
export function annotateAccess(paths: Paths, table: readonly RouteEntry[]): void {
  for (const route of table) {
    const path = route.url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
    const operation = paths[path]?.[route.method.toLowerCase()];
    if (operation) annotate(operation, route.access);
  }
}
