// `npm start` / `npm test` run this first (prestart / pretest): everything a fresh clone lacks is
// installed here, so those two commands are the whole set-up.
import { existsSync } from 'node:fs';
import { ensureNodeModules, ensureTemporalCli, ensureTestServer } from './toolchain.mjs';

// System packages are not ours to install (they need root): .ci/run installs Debian's chromium;
// here a developer only hears why the console's browser test will be skipped.
const CHROMIUM = '/usr/bin/chromium';

const target = process.argv[2];
try {
  ensureNodeModules();
  if (target === 'start') ensureTemporalCli();
  if (target === 'test') ensureTestServer();
  if (target === 'test' && !existsSync(CHROMIUM))
    process.stderr.write(
      `[relance setup] ${CHROMIUM} is missing: the console's browser test is skipped (CI fails); ` +
        'install it with `sudo apt-get install chromium`\n',
    );
} catch (error) {
  process.stderr.write(`[relance setup] ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
