// Runs once before the test files: fetches and caches the Temporal time-skipping test server
// (Maven) so that no test pays for it, and fails early with a clear message when Java is missing.
// It also locates (or, on a fresh clone, builds once with `go install`) the Temporal CLI dev
// server that the wall-clock and restart tests run against; when that fails, those tests report
// why and the others still run.
import { ensureTemporalCli, ensureTestServer } from '../../scripts/toolchain.mjs';

export default function setup(): void {
  process.env.RELANCE_TEST_SERVER = ensureTestServer();
  try {
    process.env.TEMPORAL_CLI = ensureTemporalCli();
  } catch (error) {
    process.env.RELANCE_TEMPORAL_CLI_ERROR = error instanceof Error ? error.message : String(error);
  }
}
