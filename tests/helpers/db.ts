/**
 * A fresh, migrated database per test: embedded PGlite in memory by default; a throw-away
 * database on the PostgreSQL server of TEST_DATABASE_URL when set (CI sets it).
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDb, type Db } from '../../store/db';
import { migrate } from '../../store/migrate';

export type Driver = 'pglite' | 'postgres';

/** The drivers this run can test: PGlite always, PostgreSQL when TEST_DATABASE_URL is set. */
export const drivers: Driver[] = process.env.TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];

export interface TestDb {
  db: Db;
  url: string;
  drop(): Promise<void>;
}

export async function createTestDb(driver: Driver = 'pglite'): Promise<TestDb> {
  if (driver === 'pglite') {
    // No background upkeep: a test's plans and files change only when it says so.
    const db = await openDb('pglite://memory', { upkeepIntervalMs: null });
    await migrate(db);
    return { db, url: 'pglite://memory', drop: () => db.close() };
  }
  const admin = process.env.TEST_DATABASE_URL;
  if (!admin) throw new Error('TEST_DATABASE_URL is not set');
  const name = `relance_test_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  await client.query(`create database ${name}`);
  await client.end();
  const url = new URL(admin);
  url.pathname = `/${name}`;
  const db = await openDb(url.toString());
  await migrate(db);
  return {
    db,
    url: url.toString(),
    async drop() {
      await db.close();
      const c = new pg.Client({ connectionString: admin });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}
