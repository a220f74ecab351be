/**
 * The embedded store on a fresh data folder: initdb's memory is not kept for the life of the
 * process (PGlite keeps it in the instance that initialised the folder, about 450 MB, and some
 * 150 MB of it even once that instance is gone: initdb runs in a process of its own).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { openDb } from '../../store/db';

describe('when the embedded store opens a fresh data folder', () => {
  it('then it works and does not hold initdb memory', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'relance-pglite-'));
    const rssBefore = process.memoryUsage().rss;
    try {
      const db = await openDb(`pglite://${dir}`);
      expect(await db.query<{ n: number }>('select 1 as n')).toEqual([{ n: 1 }]);
      // Without the reopen: ~630 MB of external (WebAssembly) memory, even after a collection; with it ~200 MB.
      v8.setFlagsFromString('--expose-gc');
      const gc = vm.runInNewContext('gc') as () => void;
      gc();
      await new Promise((resolve) => setTimeout(resolve, 200));
      gc();
      expect(process.memoryUsage().external).toBeLessThan(400 * 2 ** 20);
      // initdb in this process, even reopened: ~380 MB more; initdb in its own process: ~230 MB.
      expect(process.memoryUsage().rss - rssBefore).toBeLessThan(310 * 2 ** 20);
      await db.close();
      const again = await openDb(`pglite://${dir}`);
      expect(await again.query<{ n: number }>('select 2 as n')).toEqual([{ n: 2 }]);
      await again.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('then a folder that cannot be made is refused, naming it', async () => {
    await expect(openDb('pglite:///proc/relance-store')).rejects.toThrow(
      /Could not initialise the store in \/proc\/relance-store/,
    );
  });
});
