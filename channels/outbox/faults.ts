/**
 * Scripted provider failures for tests: each queued response is consumed by exactly one matching
 * request, before the outbox validates or records it, so a test can say "the next send to this
 * address gets a 429, then a 500" and watch the retry behaviour of the real SDK path. A `cut`
 * drops the connection without an answer: the client cannot tell whether the message arrived.
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

export const faultScriptSchema = z.object({
  channel: z.enum(['email', 'sms']).describe('which provider API the faults apply to'),
  to: z.string().optional().describe('only requests to this recipient consume these faults'),
  responses: z.array(scriptedResponse).min(1).describe('consumed in order, one per request'),
});

export type FaultScript = z.infer<typeof faultScriptSchema>;
export type ScriptedResponse = z.infer<typeof scriptedResponse>;
export type ErrorResponse = z.infer<typeof errorResponse>;

interface PendingFault {
  channel: 'email' | 'sms';
  to?: string;
  response: ScriptedResponse;
}

export interface RenderedFault {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

export class FaultQueue {
  private pending: PendingFault[] = [];

  add(script: FaultScript): void {
    for (const response of script.responses) {
      this.pending.push({ channel: script.channel, ...(script.to ? { to: script.to } : {}), response });
    }
  }

  clear(): void {
    this.pending = [];
  }

  size(): number {
    return this.pending.length;
  }

  /** Removes and returns the first fault for this channel whose recipient filter matches. */
  take(channel: 'email' | 'sms', recipients: readonly string[]): ScriptedResponse | undefined {
    const lowered = recipients.map((r) => r.toLowerCase());
    const index = this.pending.findIndex(
      (f) => f.channel === channel && (f.to === undefined || lowered.includes(f.to.toLowerCase())),
    );
    if (index < 0) return undefined;
    const [fault] = this.pending.splice(index, 1);
    return fault?.response;
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
