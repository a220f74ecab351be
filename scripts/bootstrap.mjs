// `npm start` / `npm test` run this first (prestart / pretest): everything a fresh clone lacks is
// installed here, so those two commands are the whole set-up.
import { ensureNodeModules, ensureTemporalCli, ensureTestServer } from './toolchain.mjs';

const target = process.argv[2];
try {
  ensureNodeModules();
  if (target === 'start') ensureTemporalCli();
  if (target === 'test') ensureTestServer();
} catch (error) {
  process.stderr.write(`[relance setup] ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
