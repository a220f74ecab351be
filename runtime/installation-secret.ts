/**
 * A secret generated once per installation and kept under the data folder (mode 0600), for
 * settings that have a safe default only if it never changes: the unsubscribe-token secret, the
 * payload encryption key. The environment always wins; this is the fallback.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The content of `dataDir/fileName`, written first with `generate()` when the file is missing. */
export function installationSecret(dataDir: string, fileName: string, generate: () => string): string {
  const file = join(dataDir, fileName);
  mkdirSync(dataDir, { recursive: true });
  try {
    // 'wx': two processes starting together keep the first one's secret, never overwrite it.
    writeFileSync(file, generate(), { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if (!(error instanceof Error && 'code' in error && error.code === 'EEXIST')) throw error;
  }
  return readFileSync(file, 'utf8').trim();
}
