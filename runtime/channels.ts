/**
 * The channels a process sends through: the real SendGrid and Twilio APIs when credentials are
 * configured, otherwise the same SDKs pointed at the local outbox with the outbox's own
 * credentials (so requests are checked exactly as the providers would). The outbox's Twilio auth
 * token is a per-installation secret (runtime/local-services.ts), never a value in the source:
 * Twilio webhooks are verified with it.
 */
import type { Channels } from '../channels/channel';
import type { RelanceConfig } from '../config/schema';
import { batchingEmailChannel } from '../channels/email-batcher';
import { createSendgridEmailChannel } from '../channels/email-sendgrid';
import { processSenderLimiter, rateLimitedSms, type SenderRateLimiter } from '../channels/send-rate';
import { createTwilioSmsChannel } from '../channels/sms-twilio';

/** The local outbox's SendGrid key and Twilio account: fake, fixed, never valid anywhere else. */
export const OUTBOX_SENDGRID_KEY = 'SG.relance-local-outbox.key';
export const OUTBOX_ACCOUNT_SID = 'AC00000000000000000000000000000000';

export interface OutboxCredentials {
  sendgridApiKey: string;
  twilio: { accountSid: string; authToken: string };
}

/** What the outbox checks and the channels present; `twilioAuthToken` is the installation's. */
export function outboxCredentials(twilioAuthToken: string): OutboxCredentials {
  return {
    sendgridApiKey: OUTBOX_SENDGRID_KEY,
    twilio: { accountSid: OUTBOX_ACCOUNT_SID, authToken: twilioAuthToken },
  };
}

/** A local outbox to send to: where it listens, and the Twilio auth token it checks. */
export interface LocalOutbox {
  url: string;
  twilioAuthToken: string;
}

export interface ProviderSettings {
  SENDGRID_API_KEY?: string | undefined;
  TWILIO_ACCOUNT_SID?: string | undefined;
  TWILIO_AUTH_TOKEN?: string | undefined;
}

export function createChannels(
  settings: ProviderSettings,
  outbox: LocalOutbox | undefined,
  /** Per-sender SMS rates; the simulator passes false (no carrier behind the outbox). */
  rateLimit: SenderRateLimiter | false = processSenderLimiter(),
): { channels: Channels; usesOutbox: { email: boolean; sms: boolean } } {
  const emailOutbox = !settings.SENDGRID_API_KEY;
  const smsOutbox = !(settings.TWILIO_ACCOUNT_SID && settings.TWILIO_AUTH_TOKEN);
  if ((emailOutbox || smsOutbox) && !outbox)
    throw new Error('No provider credentials and no local outbox to send to');
  const email = createSendgridEmailChannel(
    emailOutbox
      ? { apiKey: OUTBOX_SENDGRID_KEY, baseUrl: outbox?.url ?? '' }
      : { apiKey: settings.SENDGRID_API_KEY ?? '' },
  );
  const sms = createTwilioSmsChannel(
    smsOutbox
      ? {
          accountSid: OUTBOX_ACCOUNT_SID,
          authToken: outbox?.twilioAuthToken ?? '',
          baseUrl: outbox?.url ?? '',
        }
      : { accountSid: settings.TWILIO_ACCOUNT_SID ?? '', authToken: settings.TWILIO_AUTH_TOKEN ?? '' },
  );
  return {
    channels: { email: batchingEmailChannel(email), sms: rateLimit ? rateLimitedSms(sms, rateLimit) : sms },
    usesOutbox: { email: emailOutbox, sms: smsOutbox },
  };
}

/** A process's channels: providers or the outbox, with the configured SMS sender rate. */
export function channelsForConfig(
  settings: ProviderSettings,
  config: RelanceConfig,
  outbox: LocalOutbox | undefined,
): Channels {
  const sms = config.company.sms;
  const rates = sms.segmentsPerSecond ? { [sms.from]: sms.segmentsPerSecond } : {};
  return createChannels(settings, outbox, processSenderLimiter(rates)).channels;
}
