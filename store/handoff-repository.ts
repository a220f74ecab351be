/** Hand-offs to people: the queue agents work from. */
import { iso, type Sql } from './db';

export interface Handoff {
  id: number;
  sequenceId: string;
  contactId: string;
  subjectIds: string[];
  reason: string;
  at: string;
  status: 'open' | 'closed';
}

/** Records a hand-off once (a retried activity with the same instant finds the first row). */
export async function createHandoff(sql: Sql, h: Omit<Handoff, 'id' | 'status'>): Promise<void> {
  await sql.query(
    `insert into handoffs (sequence_id, contact_id, subject_ids, reason, at) values ($1, $2, $3::jsonb, $4, $5)
     on conflict (sequence_id, reason, at) do nothing`,
    [h.sequenceId, h.contactId, JSON.stringify(h.subjectIds), h.reason, h.at],
  );
}

type Row = {
  id: number;
  sequence_id: string;
  contact_id: string;
  subject_ids: string[];
  reason: string;
  at: Date;
  status: Handoff['status'];
};
const toHandoff = (r: Row): Handoff => ({
  id: r.id,
  sequenceId: r.sequence_id,
  contactId: r.contact_id,
  subjectIds: r.subject_ids,
  reason: r.reason,
  at: iso(r.at),
  status: r.status,
});

export async function listHandoffs(sql: Sql, filter: { subjectId?: string } = {}): Promise<Handoff[]> {
  const rows = filter.subjectId
    ? await sql.query<Row>('select * from handoffs where subject_ids @> $1::jsonb order by at, id', [
        JSON.stringify([filter.subjectId]),
      ])
    : await sql.query<Row>('select * from handoffs order by at, id');
  return rows.map(toHandoff);
}

export async function handoffsOfContact(sql: Sql, contactId: string): Promise<Handoff[]> {
  const rows = await sql.query<Row>('select * from handoffs where contact_id = $1 order by at, id', [
    contactId,
  ]);
  return rows.map(toHandoff);
}
