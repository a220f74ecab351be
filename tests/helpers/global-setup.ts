// Runs once before the test files: fetches and caches the Temporal time-skipping test server
// (Maven) so that no test pays for it, and fails early with a clear message when Java is missing.
import { ensureTestServer } from '../../scripts/toolchain.mjs';

export default function setup(): void {
  process.env.RELANCE_TEST_SERVER = ensureTestServer();
}
