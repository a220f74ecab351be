import { describe, expect, it } from 'vitest';
import { FaultQueue, faultScriptSchema } from '../../channels/outbox/faults';

const draws = (queue: FaultQueue, n: number, to = 'marie@example.com') =>
  Array.from({ length: n }, () => {
    const fault = queue.take('email', [to]);
    return fault === undefined ? 202 : 'cut' in fault ? 0 : fault.status;
  });

describe('random provider faults in the outbox', () => {
  it('when a random script asks for 20 % of 503, then about a fifth of the requests fail, the same ones for the same seed', () => {
    const script = { channel: 'email' as const, random: { rate: 0.2, seed: 7, response: { status: 503 } } };
    const first = new FaultQueue();
    first.add(script);
    const second = new FaultQueue();
    second.add(script);

    const answers = draws(first, 1000);
    const failed = answers.filter((s) => s === 503).length;
    expect(failed).toBeGreaterThan(150);
    expect(failed).toBeLessThan(250);
    expect(draws(second, 1000)).toEqual(answers);
    expect(first.stats()).toEqual({ pending: 0, random: 1, served: { '503': failed } });
  });

  it('when queued faults and a random script are both set, then the queued ones go first, and clearing stops both', () => {
    const queue = new FaultQueue();
    queue.add({ channel: 'email', random: { rate: 1, seed: 1, response: { status: 500 } } });
    queue.add({ channel: 'email', responses: [{ status: 429, retryAfter: 2 }, { status: 429 }] });

    expect(draws(queue, 3)).toEqual([429, 429, 500]);
    expect(queue.take('sms', ['+33612345678'])).toBeUndefined();
    queue.clear();
    expect(draws(queue, 2)).toEqual([202, 202]);
    expect(queue.stats()).toEqual({ pending: 0, random: 0, served: { '429': 2, '500': 1 } });
  });

  it('when a random script targets one recipient, then requests to others never fail', () => {
    const queue = new FaultQueue();
    queue.add({
      channel: 'email',
      to: 'paul@example.com',
      random: { rate: 1, seed: 3, response: { status: 502 } },
    });
    expect(draws(queue, 5, 'marie@example.com')).toEqual([202, 202, 202, 202, 202]);
    expect(draws(queue, 2, 'PAUL@example.com')).toEqual([502, 502]);
  });

  it('when a script has both queued responses and a random part, or a rate of 0, then it is refused', () => {
    const response = { status: 503 };
    expect(
      faultScriptSchema.safeParse({
        channel: 'email',
        responses: [response],
        random: { rate: 0.2, seed: 1, response },
      }).success,
    ).toBe(false);
    expect(
      faultScriptSchema.safeParse({ channel: 'sms', random: { rate: 0, seed: 1, response } }).success,
    ).toBe(false);
  });
});
