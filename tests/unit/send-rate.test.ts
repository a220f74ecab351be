/** Per-sender SMS rates, with a fake clock: what a carrier sees of Relance's sending pace. */
import { describe, expect, it } from 'vitest';
import {
  defaultSegmentsPerSecond,
  rateLimitedSms,
  SenderRateLimiter,
  type RateClock,
} from '../../channels/send-rate';
import type { OutgoingSms, SmsChannel } from '../../channels/channel';

/** Time stands still at 0; each sleep is recorded as the instant the caller wakes at. */
function fakeClock(): RateClock & { wakes: number[] } {
  const wakes: number[] = [];
  return {
    wakes,
    now: () => 0,
    sleep: (ms) => {
      wakes.push(ms);
      return Promise.resolve();
    },
  };
}

const sms = (from: string, body = 'Bonjour, votre facture est disponible.'): OutgoingSms => ({
  to: '+33612345678',
  from,
  body,
  idempotencyKey: 'k',
  messageId: 'm',
});

describe('per-sender send rates', () => {
  it('knows the carriers’ defaults by kind of sender', () => {
    expect(defaultSegmentsPerSecond('+33757000000')).toBe(1); // long code
    expect(defaultSegmentsPerSecond('+18885550123')).toBe(3); // toll-free
    expect(defaultSegmentsPerSecond('36111')).toBe(100); // short code
  });

  it('when five one-segment SMS leave one long code at once, then they go one second apart', async () => {
    const clock = fakeClock();
    const limiter = new SenderRateLimiter(defaultSegmentsPerSecond, clock);
    let sent = 0;
    const inner: SmsChannel = {
      send: () => {
        sent += 1;
        return Promise.resolve({ kind: 'accepted', provider: 'twilio', providerId: 'SM1' });
      },
    };
    const channel = rateLimitedSms(inner, limiter);
    await Promise.all(Array.from({ length: 5 }, () => channel.send(sms('+33757000000'))));
    expect(sent).toBe(5);
    expect(clock.wakes).toEqual([1000, 2000, 3000, 4000]); // the first goes at once
  });

  it('when a message takes three segments, then the next one from that sender waits three seconds', async () => {
    const clock = fakeClock();
    const limiter = new SenderRateLimiter(defaultSegmentsPerSecond, clock);
    await limiter.acquire('+33757000000', 3);
    expect(await limiter.acquire('+33757000000', 1)).toBe(3000);
  });

  it('when two senders send at once, then neither waits for the other', async () => {
    const clock = fakeClock();
    const limiter = new SenderRateLimiter(defaultSegmentsPerSecond, clock);
    expect(await limiter.acquire('+33757000000', 1)).toBe(0);
    expect(await limiter.acquire('36111', 1)).toBe(0);
    expect(await limiter.acquire('36111', 1)).toBe(10); // 100 segments/s
  });
});
