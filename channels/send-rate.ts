/**
 * Per-sender send rates, shared by every activity of the process: a sender's SMS segments leave no
 * faster than the carrier allows (Twilio's defaults: 1 segment/s for a long code, 3/s toll-free,
 * 100/s for a short code). Waiting here beats a 429 storm and keeps messages in order.
 */
import { countSegments } from '../templates/sms-segments';
import type { SmsChannel } from './channel';

const TOLL_FREE = /^\+1(800|833|844|855|866|877|888)\d{7}$/;

/** Segments per second a sender may send, from the kind of sender it is. */
export function defaultSegmentsPerSecond(from: string): number {
  if (/^\d{5,6}$/.test(from)) return 100; // short code
  if (TOLL_FREE.test(from)) return 3;
  if (from.startsWith('+')) return 1; // long code
  return 10; // alphanumeric sender id: set by the account; a conservative default
}

export interface RateClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

const realClock: RateClock = { now: () => Date.now(), sleep: (ms) => new Promise((r) => setTimeout(r, ms)) };

/**
 * A reservation schedule per sender: each send books the next free slot (spacing = segments /
 * rate) and waits for it. Reservations are taken synchronously, so concurrent activities queue
 * fairly in arrival order.
 */
export class SenderRateLimiter {
  private readonly nextFree = new Map<string, number>();

  constructor(
    private readonly rateOf: (sender: string) => number,
    private readonly clock: RateClock = realClock,
  ) {}

  /** Resolves when `sender` may send `units` more; returns how long it waited (ms). */
  async acquire(sender: string, units: number): Promise<number> {
    const now = this.clock.now();
    const start = Math.max(now, this.nextFree.get(sender) ?? now);
    this.nextFree.set(sender, start + (units * 1000) / this.rateOf(sender));
    const wait = start - now;
    if (wait > 0) await this.clock.sleep(wait);
    return wait;
  }
}

/** One limiter per process, so every worker of the process shares each sender's budget. */
let processLimiter: SenderRateLimiter | undefined;
export function processSenderLimiter(overrides: Record<string, number> = {}): SenderRateLimiter {
  processLimiter ??= new SenderRateLimiter((sender) => overrides[sender] ?? defaultSegmentsPerSecond(sender));
  return processLimiter;
}

export function rateLimitedSms(channel: SmsChannel, limiter: SenderRateLimiter): SmsChannel {
  return {
    ...channel,
    async send(message) {
      await limiter.acquire(message.from, countSegments(message.body).segments);
      return channel.send(message);
    },
  };
}
