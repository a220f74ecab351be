/** Small helpers shared by the benchmarks: seeded picks and percentiles over samples. */
import { seeded } from '../../channels/outbox/faults';

export interface Picker {
  random: () => number;
  pick: <T>(items: readonly T[]) => T;
  between: (min: number, max: number) => number;
}

export function picker(seed: number): Picker {
  const random = seeded(seed);
  return {
    random,
    pick: <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T,
    between: (min, max) => min + Math.floor(random() * (max - min + 1)),
  };
}

/** Per-call samples in microseconds: wall time (high-resolution clock) and this process's CPU time. */
export class Samples {
  readonly wall: Float64Array;
  readonly cpu: Float64Array;
  private n = 0;

  constructor(size: number) {
    this.wall = new Float64Array(size);
    this.cpu = new Float64Array(size);
  }

  add(wallUs: number, cpuUs: number): void {
    this.wall[this.n] = wallUs;
    this.cpu[this.n] = cpuUs;
    this.n += 1;
  }

  get size(): number {
    return this.n;
  }

  /** The latest sample, as [wall, cpu]. */
  last(): [number, number] {
    return [this.wall[this.n - 1] ?? Number.NaN, this.cpu[this.n - 1] ?? Number.NaN];
  }

  /** The q-quantile (0..1) of one series. */
  at(series: 'wall' | 'cpu', q: number): number {
    const sorted = this[series].slice(0, this.n).sort();
    return sorted[Math.min(this.n - 1, Math.floor(q * this.n))] ?? Number.NaN;
  }
}

/** Times one synchronous call: wall from performance.now(), CPU from process.cpuUsage(). */
export function timedSync<T>(samples: Samples, fn: () => T): T {
  const cpuBefore = process.cpuUsage();
  const start = performance.now();
  const result = fn();
  const wall = (performance.now() - start) * 1000;
  const cpu = process.cpuUsage(cpuBefore);
  samples.add(wall, cpu.user + cpu.system);
  return result;
}

/** Times one call: wall from performance.now(), CPU from process.cpuUsage() (user + system). */
export async function timed<T>(samples: Samples, fn: () => T | Promise<T>): Promise<T> {
  const cpuBefore = process.cpuUsage();
  const start = performance.now();
  const result = await fn();
  const wall = (performance.now() - start) * 1000;
  const cpu = process.cpuUsage(cpuBefore);
  samples.add(wall, cpu.user + cpu.system);
  return result;
}

export const us = (value: number) =>
  value >= 1000 ? `${(value / 1000).toFixed(2)} ms` : `${value.toFixed(1)} µs`;

export function quantiles(samples: Samples, series: 'wall' | 'cpu', qs: number[]): string {
  return qs.map((q) => `p${Math.round(q * 100)} ${us(samples.at(series, q))}`).join('   ');
}
