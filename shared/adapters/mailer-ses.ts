import { SendEmailCommand, type SESv2Client } from '@aws-sdk/client-sesv2';
import type { Mailer } from '#domain/ports';

/** Raw MIME through SES v2: attachments and both text parts exactly as composed. */
export function sesMailer(client: SESv2Client, configurationSet?: string | undefined): Mailer {
  return {
    async sendRaw({ from, to, raw }) {
      const response = await client.send(
        // The configuration set routes delivery, bounce and complaint events back to us (EventBridge).
        new SendEmailCommand({ FromEmailAddress: from, Destination: { ToAddresses: to }, Content: { Raw: { Data: raw } }, ConfigurationSetName: configurationSet }),
      );
      return response.MessageId ?? 'unknown';
    },
  };
}
