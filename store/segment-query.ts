/**
 * A segment compiled to one parameterized query over `contacts` (erased contacts excluded), with
 * the semantics of `matches` in domain/segment.ts. Every value and every attribute or tag name is
 * a parameter; only column names chosen here reach the text. Equality and tags use containment
 * (`@>`), served by the GIN indexes of migration 010; fields by their btree indexes.
 */
import {
  operatorOf,
  subjectOf,
  type Operator,
  type Segment,
  type SegmentCondition,
  type SegmentField,
} from '../domain/segment';
import type { Sql } from './db';

const COLUMNS: Record<SegmentField, string> = {
  country: 'country',
  locale: 'locale',
  customerType: 'customer_type',
};

export interface CompiledSegment {
  where: string;
  params: unknown[];
}

class Params {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

function fieldPredicate(column: string, op: Operator, p: Params): string {
  switch (op.op) {
    case 'eq':
      return typeof op.value === 'string' ? `${column} = ${p.add(op.value)}::text` : 'false';
    case 'in': {
      const strings = op.values.filter((v): v is string => typeof v === 'string');
      return strings.length > 0 ? `${column} = any(${p.add(strings)}::text[])` : 'false';
    }
    case 'gte':
    case 'lte':
      if (typeof op.value !== 'string') return 'false';
      return `${column} collate "C" ${op.op === 'gte' ? '>=' : '<='} ${p.add(op.value)}::text`;
    case 'exists':
      return op.value ? `${column} is not null` : `${column} is null`;
  }
}

/** `attributes @> {"name": v}`: the same JSON scalar under that key (numbers numerically). */
function contains(name: string, value: unknown, p: Params): string {
  return `attributes @> ${p.add(JSON.stringify({ [name]: value }))}::jsonb`;
}

function attributePredicate(name: string, op: Operator, p: Params): string {
  switch (op.op) {
    case 'eq':
      return contains(name, op.value, p);
    case 'in':
      return `(${op.values.map((v) => contains(name, v, p)).join(' or ')})`;
    case 'gte':
    case 'lte': {
      const key = p.add(name);
      const cmp = op.op === 'gte' ? '>=' : '<=';
      // CASE orders the checks: the cast only ever sees a JSON number, the comparison a string.
      return typeof op.value === 'number'
        ? `(case when jsonb_typeof(attributes -> ${key}::text) = 'number' then (attributes ->> ${key}::text)::numeric ${cmp} ${p.add(String(op.value))}::numeric else false end)`
        : `(case when jsonb_typeof(attributes -> ${key}::text) = 'string' then (attributes ->> ${key}::text) collate "C" ${cmp} ${p.add(op.value)}::text else false end)`;
    }
    case 'exists': {
      const key = p.add(name);
      const present = `(attributes ? ${key}::text and jsonb_typeof(attributes -> ${key}::text) <> 'null')`;
      return op.value ? present : `not ${present}`;
    }
  }
}

function predicate(c: SegmentCondition, p: Params): string {
  const subject = subjectOf(c);
  const op = operatorOf(c);
  switch (subject.kind) {
    case 'field':
      return fieldPredicate(COLUMNS[subject.field], op, p);
    case 'attribute':
      return attributePredicate(subject.name, op, p);
    case 'tag': {
      const has = `tags @> ${p.add(JSON.stringify([subject.name]))}::jsonb`;
      return op.op === 'exists' && !op.value ? `not ${has}` : has;
    }
  }
}

/** The WHERE clause of a segment (erased contacts excluded), its parameters from `$1`. */
export function compileSegment(segment: Segment): CompiledSegment {
  const p = new Params();
  const parts = ['erased_at is null', ...segment.all.map((c) => predicate(c, p))];
  return { where: parts.join(' and '), params: p.values };
}

/** How many contacts the segment selects now. */
export async function countSegment(sql: Sql, segment: Segment): Promise<number> {
  const { where, params } = compileSegment(segment);
  const [row] = await sql.query<{ n: number }>(
    `select count(*)::int as n from contacts where ${where}`,
    params,
  );
  return row?.n ?? 0;
}

export interface SegmentPage {
  ids: string[];
  /** Pass as `after` for the next page; null when this page was the last. */
  next: string | null;
}

/** One page of the segment's contact ids, in id order, after the id `after` (keyset pagination). */
export async function selectSegmentPage(
  sql: Sql,
  segment: Segment,
  page: { after?: string | null; limit: number },
): Promise<SegmentPage> {
  const { where, params } = compileSegment(segment);
  const after = page.after ?? null;
  const all = after === null ? [...params, page.limit] : [...params, page.limit, after];
  const rows = await sql.query<{ id: string }>(
    `select id from contacts where ${where}${after === null ? '' : ` and id > $${all.length}::text`} order by id limit $${params.length + 1}::int`,
    all,
  );
  const ids = rows.map((r) => r.id);
  return { ids, next: ids.length === page.limit ? (ids[ids.length - 1] ?? null) : null };
}
