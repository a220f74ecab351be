/**
 * Scripted provider failures for tests: each queued response is consumed by exactly one matching
 * request, before the outbox validates or records it, so a test can say "the next send to this
 * address gets a 429, then a 500" and watch the retry behaviour of the real SDK path. A random
 * script makes a share of the matching requests fail instead (seeded, so a run can be repeated),
 * for as long as it is not cleared; queued responses go first. A `cut` drops the connection
 * without an answer: the client cannot tell whether the message arrived.
 */
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { sendgridError, twilioError, TWILIO_CODES } from './provider-errors';

const errorResponse = z.object({
  status: z.number().int().min(400).max(599).describe('HTTP status to answer with'),
  retryAfter: z.number().int().min(0).optional().describe('seconds, sent as Retry-After'),
  code: z.number().int().optional().describe('Twilio error code (sms only)'),
  message: z.string().optional().describe('error message in the provider body'),
});

const cutResponse = z.object({
  cut: z
    .literal(true)
    .describe('close the connection without answering; nothing is recorded (an unknown outcome)'),
});

const scriptedResponse = z.union([errorResponse, cutResponse]);

const randomFaults = z
  .object({
    rate: z.number().gt(0).max(1).describe('share of the matching requests that fail'),
    seed: z.number().int().describe('seed of the generator that picks them'),
    response: scriptedResponse,
  })
  .describe('every matching request fails with probability `rate`, until the faults are cleared');

export const faultScriptSchema = z
  .object({
    channel: z.enum(['email', 'sms']).describe('which provider API the faults apply to'),
    to: z.string().optional().describe('only requests to this recipient consume these faults'),
    responses: z.array(scriptedResponse).min(1).optional().describe('consumed in order, one per request'),
    random: randomFaults.optional(),
  })
  .superRefine((script, ctx) => {
    if ((script.responses === undefined) === (script.random === undefined))
      ctx.addIssue({
        code: 'custom',
        path: ['responses'],
        message: 'exactly one of responses (queued) or random',
      });
  });

export type FaultScript = z.infer<typeof faultScriptSchema>;
export type ScriptedResponse = z.infer<typeof scriptedResponse>;
export type ErrorResponse = z.infer<typeof errorResponse>;

interface PendingFault {
  channel: 'email' | 'sms';
  to?: string;
  response: ScriptedResponse;
}

interface RandomFault {
  channel: 'email' | 'sms';
  to?: string;
  rate: number;
  next: () => number;
  response: ScriptedResponse;
}

/** What the outbox answered with instead of accepting: how many of each status. */
export interface FaultStats {
  pending: number;
  random: number;
  served: Record<string, number>;
}

/** mulberry32: small, fast, and the same sequence for the same seed (the benchmarks use it too). */
export function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const matches = (
  fault: { channel: 'email' | 'sms'; to?: string },
  channel: 'email' | 'sms',
  lowered: readonly string[],
) => fault.channel === channel && (fault.to === undefined || lowered.includes(fault.to.toLowerCase()));

export interface RenderedFault {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

export class FaultQueue {
  private pending: PendingFault[] = [];
  private random: RandomFault[] = [];
  private served = new Map<number, number>();

  add(script: FaultScript): void {
    const target = { channel: script.channel, ...(script.to ? { to: script.to } : {}) };
    if (script.random) {
      const { rate, seed, response } = script.random;
      this.random.push({ ...target, rate, next: seeded(seed), response });
    }
    for (const response of script.responses ?? []) this.pending.push({ ...target, response });
  }

  clear(): void {
    this.pending = [];
    this.random = [];
  }

  size(): number {
    return this.pending.length;
  }

  stats(): FaultStats {
    return {
      pending: this.pending.length,
      random: this.random.length,
      served: Object.fromEntries([...this.served].map(([status, n]) => [String(status), n])),
    };
  }

  /**
   * The fault this request gets, if any: the first queued one for this channel whose recipient
   * filter matches (removed), else a draw from each matching random script in turn.
   */
  take(channel: 'email' | 'sms', recipients: readonly string[]): ScriptedResponse | undefined {
    const lowered = recipients.map((r) => r.toLowerCase());
    const index = this.pending.findIndex((f) => matches(f, channel, lowered));
    const queued = index >= 0 ? this.pending.splice(index, 1)[0]?.response : undefined;
    const response =
      queued ?? this.random.find((f) => matches(f, channel, lowered) && f.next() < f.rate)?.response;
    if (response) {
      const key = 'cut' in response ? 0 : response.status; // 0 counts connections cut unanswered
      this.served.set(key, (this.served.get(key) ?? 0) + 1);
    }
    return response;
  }
}

/**
 * Answers the request as its scripted fault says: an error status in the provider's format, or
 * a connection closed with no answer at all.
 */
export function answerFault(reply: FastifyReply, channel: 'email' | 'sms', fault: ScriptedResponse) {
  if ('cut' in fault) {
    reply.hijack();
    reply.raw.socket?.destroy();
    return reply;
  }
  const rendered = renderFault(channel, fault);
  return reply.code(rendered.status).headers(rendered.headers).send(rendered.body);
}

export function renderFault(channel: 'email' | 'sms', fault: ErrorResponse): RenderedFault {
  const headers: Record<string, string> = {};
  if (fault.retryAfter !== undefined) headers['retry-after'] = String(fault.retryAfter);
  if (fault.status === 429 && fault.retryAfter === undefined) headers['retry-after'] = '1';
  const body = channel === 'email' ? emailFaultBody(fault) : smsFaultBody(fault);
  return { status: fault.status, headers, body };
}

function emailFaultBody(fault: ErrorResponse): unknown {
  if (fault.status === 429) return sendgridError(fault.message ?? 'too many requests');
  if (fault.status >= 500) return sendgridError(fault.message ?? 'internal error');
  return sendgridError(fault.message ?? 'Bad Request', null, null);
}

function smsFaultBody(fault: ErrorResponse): unknown {
  const defaults: Record<number, [number, string]> = {
    401: [TWILIO_CODES.authenticate, 'Authenticate'],
    404: [TWILIO_CODES.notFound, 'The requested resource was not found'],
    429: [TWILIO_CODES.tooManyRequests, 'Too Many Requests'],
  };
  const [code, message] =
    defaults[fault.status] ??
    (fault.status >= 500
      ? [TWILIO_CODES.internal, 'Internal Server Error']
      : [TWILIO_CODES.badRequest, 'Bad Request']);
  return twilioError(fault.status, fault.code ?? code, fault.message ?? message);
}
