/**
 * The content of a message, read at the activity boundary: the current form (SubjectContent)
 * as it is, an older form from a running workflow through the kind that owns it, and the kind
 * the content names looked up in the registry. A content no kind reads fails for good.
 */
import { ApplicationFailure } from '@temporalio/activity';
import { ErrorCode } from '../domain/errors';
import type { KindRegistry, SequenceKind, SubjectContent } from '../kinds/kind';

function isSubjectContent(value: Record<string, unknown>): boolean {
  return (
    typeof value['kind'] === 'string' &&
    Array.isArray(value['subjectIds']) &&
    value['subjectIds'].every((id) => typeof id === 'string') &&
    typeof value['mergeSameDay'] === 'boolean' &&
    (value['extra'] === undefined || (typeof value['extra'] === 'object' && value['extra'] !== null))
  );
}

/** Any form a workflow sent, as SubjectContent; a form no registered kind reads: InvalidInput. */
export function normaliseContent(content: unknown, kinds: KindRegistry): SubjectContent {
  if (typeof content === 'object' && content !== null && !Array.isArray(content)) {
    const raw = content as Record<string, unknown>;
    if (isSubjectContent(raw)) return raw as unknown as SubjectContent;
    for (const kind of kinds.values()) {
      const read = kind.legacyContent?.(raw);
      if (read) return read;
    }
  }
  throw ApplicationFailure.nonRetryable(
    `message content ${JSON.stringify(content)} is of no registered kind's form`,
    ErrorCode.InvalidInput,
  );
}

/** The registered kind a content names. */
export function kindOf(content: SubjectContent, kinds: KindRegistry): SequenceKind {
  const kind = kinds.get(content.kind);
  if (!kind)
    throw ApplicationFailure.nonRetryable(
      `message content names kind ${content.kind}, which this worker does not know`,
      ErrorCode.InvalidInput,
    );
  return kind;
}
