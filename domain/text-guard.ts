/**
 * What any JSON input must satisfy before a schema looks at it: text PostgreSQL can store (no NUL
 * character, no unpaired UTF-16 surrogate: it rejects both), finite numbers, and a bounded
 * nesting. The walk is iterative, so a body nested thousands of levels deep (which JSON.parse
 * accepts) is refused here before anything recursive (a schema, a JSON encoder, the database's
 * jsonb parser) meets it.
 */
import { formatPath, type FieldIssue } from './errors';

// eslint-disable-next-line no-control-regex -- a NUL is exactly what is looked for
const NUL = /\u0000/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
// eslint-disable-next-line no-control-regex -- as above
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Why this text cannot be stored, or undefined when it can. */
export function textProblem(text: string): string | undefined {
  if (NUL.test(text)) return 'text must not contain NUL characters';
  if (LONE_SURROGATE.test(text)) return 'text must not contain unpaired UTF-16 surrogates';
  return undefined;
}

/** The text with NUL and unpaired surrogates replaced by U+FFFD: for logs and error columns. */
export function storableText(text: string): string {
  return text.replace(UNSTORABLE, '\ufffd');
}

export interface JsonLimits {
  /** Containers (objects, arrays) that may nest inside the value, the value itself included. */
  maxDepth: number;
  /** Values in all (containers, keys and leaves); unlimited when omitted. */
  maxNodes?: number;
  /** Issues reported before the walk stops. */
  maxIssues?: number;
}

/** One problem of a JSON value, at a path relative to that value. */
export interface JsonProblem {
  path: PropertyKey[];
  message: string;
}

/**
 * Every problem of a parsed JSON value: unstorable text in a value or a key, a non-finite number
 * (`1e400` parses to Infinity), nesting deeper than `maxDepth`, more than `maxNodes` values.
 */
export function jsonProblems(value: unknown, limits: JsonLimits): JsonProblem[] {
  const problems: JsonProblem[] = [];
  const maxIssues = limits.maxIssues ?? 20;
  const stack: { value: unknown; path: PropertyKey[]; depth: number }[] = [{ value, path: [], depth: 0 }];
  let nodes = 0;
  while (stack.length > 0 && problems.length < maxIssues) {
    const { value: v, path, depth } = stack.pop() as (typeof stack)[number];
    nodes += 1;
    if (limits.maxNodes !== undefined && nodes > limits.maxNodes) {
      problems.push({ path: [], message: `expected at most ${limits.maxNodes} values in all` });
      break;
    }
    if (typeof v === 'string') {
      const problem = textProblem(v);
      if (problem) problems.push({ path, message: problem });
    } else if (typeof v === 'number') {
      if (!Number.isFinite(v)) problems.push({ path, message: 'expected a finite number' });
    } else if (isJsonContainer(v)) {
      if (depth + 1 > limits.maxDepth) {
        problems.push({ path, message: `expected at most ${limits.maxDepth} levels of nesting` });
        continue;
      }
      const children: { value: unknown; path: PropertyKey[]; depth: number }[] = [];
      const entries: [PropertyKey, unknown][] = Array.isArray(v)
        ? v.map((e, i) => [i, e])
        : Object.entries(v);
      for (const [key, child] of entries) {
        const childPath = [...path, typeof key === 'string' ? storableText(key) : key];
        const problem = typeof key === 'string' ? textProblem(key) : undefined;
        if (problem) problems.push({ path: childPath, message: `field name: ${problem}` });
        children.push({ value: child, path: childPath, depth: depth + 1 });
      }
      // Pushed in reverse so that problems come out in document order.
      for (let i = children.length - 1; i >= 0; i -= 1) stack.push(children[i] as (typeof children)[number]);
    }
  }
  return problems.slice(0, maxIssues);
}

/**
 * Arrays and plain objects: what JSON.parse builds, and the prototype-less dictionaries query and
 * form parsers build. Not Buffers or other class instances.
 */
function isJsonContainer(value: unknown): value is object {
  if (typeof value !== 'object' || value === null) return false;
  if (Array.isArray(value)) return true;
  const proto: unknown = Object.getPrototypeOf(value);
  return (
    proto === null ||
    proto === Object.prototype ||
    (typeof proto === 'object' && Object.getPrototypeOf(proto) === null)
  );
}

/** jsonProblems as the API reports them: full paths, `prefix` first. */
export function jsonValueIssues(value: unknown, prefix: PropertyKey[], limits: JsonLimits): FieldIssue[] {
  return jsonProblems(value, limits).map((p) => ({
    path: formatPath([...prefix, ...p.path]),
    message: p.message,
  }));
}
