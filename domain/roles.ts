/**
 * Who may call what: the four roles of API tokens (contract section 7) and, for POST /v1/events,
 * which roles may post each event type. Pure rules; the API enforces them (api/auth.ts).
 */
export const ROLES = ['admin', 'finance', 'marketing', 'agent'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/**
 * Who may call a route: a list of roles (admin is always among them), or `public` for routes
 * whose callers prove themselves otherwise (provider signatures, signed unsubscribe links).
 */
export type Access = readonly Role[] | 'public';

/** Every role: for what any authenticated caller may read (the OpenAPI description). */
export const ANY_ROLE: readonly Role[] = ROLES;

/** The roles a route declares, with admin added: admin may call every route. */
export function withAdmin(roles: readonly Role[]): readonly Role[] {
  return roles.includes('admin') ? roles : ['admin', ...roles];
}

/**
 * The roles that may post an event of `type`, by its family; an unknown family is admin-only
 * (default deny), and validation names it anyway. Erasure is admin-only: it cannot be undone.
 */
export function rolesForEventType(type: string): readonly Role[] {
  if (type === 'contact.erased') return ['admin'];
  const family = type.split('.')[0];
  switch (family) {
    case 'invoice':
      return ['admin', 'finance'];
    case 'contact':
    case 'card':
      return ['admin', 'finance', 'marketing'];
    case 'campaign':
    case 'voucher':
    case 'points':
      return ['admin', 'marketing'];
    default:
      return ['admin'];
  }
}
