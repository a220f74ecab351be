/**
 * The one error catalogue. Expected outcomes are values (see SendOutcome); these codes are for
 * what must stop a request or an activity. Activities turn permanent ones into non-retryable
 * ApplicationFailures with the code as their type, so a workflow can switch on it.
 */
export const ErrorCode = {
  /** Input that does not match a schema (HTTP 400). */
  InvalidInput: 'INVALID_INPUT',
  /** An event names an object Relance does not know (HTTP 400). */
  UnknownReference: 'UNKNOWN_REFERENCE',
  /** Configuration that cannot be used; raised at start. */
  InvalidConfig: 'INVALID_CONFIG',
  /** A template that does not compile, or data that does not fit its declared variables. */
  InvalidTemplate: 'INVALID_TEMPLATE',
  /** A record the request or activity needs does not exist (HTTP 404). */
  NotFound: 'NOT_FOUND',
  /** A provider refused the message for good (bad number, unsubscribed address, 4xx). */
  ProviderRejected: 'PROVIDER_REJECTED',
  /** Webhook or provider credentials that do not verify (HTTP 401/403). */
  Unauthorized: 'UNAUTHORIZED',
  /** A request body over the API's size limit (HTTP 413). */
  PayloadTooLarge: 'PAYLOAD_TOO_LARGE',
  /** A request body in a format the route does not read (HTTP 415). */
  UnsupportedMediaType: 'UNSUPPORTED_MEDIA_TYPE',
  /** A route that cannot check its callers because its secret is not configured (HTTP 503). */
  NotConfigured: 'NOT_CONFIGURED',
  /** No API token, or one Relance does not know or has revoked (HTTP 401). */
  Unauthenticated: 'UNAUTHENTICATED',
  /** A valid API token whose role may not do this (HTTP 403); the message names the roles that may. */
  Forbidden: 'FORBIDDEN',
  /** A request the target's current state refuses (HTTP 409): an action on a resolved task. */
  Conflict: 'CONFLICT',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** One offending field: the path as a user writes it (`[0].data.amount`) and what was expected. */
export interface FieldIssue {
  path: string;
  message: string;
}

export class RelanceError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly issues: FieldIssue[] = [],
  ) {
    super(message);
    this.name = 'RelanceError';
  }
}

export function invalidInput(issues: FieldIssue[], message = 'The request is invalid'): RelanceError {
  return new RelanceError(ErrorCode.InvalidInput, message, issues);
}

/** Formats a path of keys and indexes the way a user reads it: `[2].data.installments[0].amount`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out === '' ? '(root)' : out;
}
