import { SendEmailCommand, type SESv2Client } from '@aws-sdk/client-sesv2';
import type { Mailer } from '#domain/ports';

/** Raw MIME through SES v2: attachments and both text parts exactly as composed. */
export function sesMailer(client: SESv2Client): Mailer {
  return {
    async sendRaw({ from, to, raw }) {
      const response = await client.send(
        new SendEmailCommand({ FromEmailAddress: from, Destination: { ToAddresses: to }, Content: { Raw: { Data: raw } } }),
      );
      return response.MessageId ?? 'unknown';
    },
  };
}
