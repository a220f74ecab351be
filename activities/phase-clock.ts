/** Milliseconds per phase of a campaign page, for the debug log (LOG_LEVEL=debug) that profiling reads. */
export function phaseClock() {
  let last = performance.now();
  const laps: string[] = [];
  return {
    lap(name: string) {
      const now = performance.now();
      laps.push(`${name}=${(now - last).toFixed(0)}`);
      last = now;
    },
    report: () => laps.join(' '),
  };
}
