/**
 * Initialises a PGlite data folder (initdb), in a process of its own: `node pglite-initdb.mjs
 * <dataDir>`. initdb's WebAssembly memory (about 450 MB) leaves with that process, where an
 * instance in the service's own process (even on a thread that ended) left it holding some
 * 150 MB for good. Plain JavaScript, so that it runs without a TypeScript loader.
 */
import { PGlite } from '@electric-sql/pglite';

const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: node pglite-initdb.mjs <dataDir>');
const db = new PGlite({ dataDir });
await db.waitReady;
await db.close();
