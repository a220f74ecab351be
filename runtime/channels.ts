/**
 * The channels a process sends through: the real SendGrid and Twilio APIs when credentials are
 * configured, otherwise the same SDKs pointed at the local outbox with the outbox's own
 * credentials (so requests are checked exactly as the providers would).
 */
import type { Channels } from '../channels/channel';
import type { RelanceConfig } from '../config/schema';
import { batchingEmailChannel } from '../channels/email-batcher';
import { createSendgridEmailChannel } from '../channels/email-sendgrid';
import { processSenderLimiter, rateLimitedSms, type SenderRateLimiter } from '../channels/send-rate';
import { createTwilioSmsChannel } from '../channels/sms-twilio';

/** Credentials of the local outbox: fake, fixed, never valid anywhere else. */
export const OUTBOX_CREDENTIALS = {
  sendgridApiKey: 'SG.relance-local-outbox.key',
  twilio: { accountSid: 'AC00000000000000000000000000000000', authToken: 'relance-local-outbox-token' },
};

export interface ProviderSettings {
  SENDGRID_API_KEY?: string | undefined;
  TWILIO_ACCOUNT_SID?: string | undefined;
  TWILIO_AUTH_TOKEN?: string | undefined;
}

export function createChannels(
  settings: ProviderSettings,
  outboxUrl: string | undefined,
  /** Per-sender SMS rates; the simulator passes false (no carrier behind the outbox). */
  rateLimit: SenderRateLimiter | false = processSenderLimiter(),
): { channels: Channels; usesOutbox: { email: boolean; sms: boolean } } {
  const emailOutbox = !settings.SENDGRID_API_KEY;
  const smsOutbox = !(settings.TWILIO_ACCOUNT_SID && settings.TWILIO_AUTH_TOKEN);
  if ((emailOutbox || smsOutbox) && !outboxUrl)
    throw new Error('No provider credentials and no local outbox to send to');
  const email = createSendgridEmailChannel(
    emailOutbox
      ? { apiKey: OUTBOX_CREDENTIALS.sendgridApiKey, baseUrl: outboxUrl ?? '' }
      : { apiKey: settings.SENDGRID_API_KEY ?? '' },
  );
  const sms = createTwilioSmsChannel(
    smsOutbox
      ? { ...OUTBOX_CREDENTIALS.twilio, baseUrl: outboxUrl ?? '' }
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
  outboxUrl: string | undefined,
): Channels {
  const sms = config.company.sms;
  const rates = sms.segmentsPerSecond ? { [sms.from]: sms.segmentsPerSecond } : {};
  return createChannels(settings, outboxUrl, processSenderLimiter(rates)).channels;
}
