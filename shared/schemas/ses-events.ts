import * as z from '#schemas/zod';
import type { EmailEvent } from '#domain/use-cases/billing';

/**
 * An SES event as EventBridge delivers it (`source: aws.ses`, `detail-type: Email Bounced | Email Delivered | …`),
 * `detail` being SES's own event record. Only the fields we act on are checked; the rest passes.
 */
export const SesEventBridgeEvent = z.looseObject({
  source: z.literal('aws.ses'),
  'detail-type': z.string(),
  time: z.string(),
  detail: z.looseObject({
    eventType: z.string(),
    mail: z.looseObject({ messageId: z.string().check(z.minLength(1)) }),
    bounce: z.optional(z.looseObject({ bounceType: z.string(), bounceSubType: z.optional(z.string()), bouncedRecipients: z.optional(z.array(z.looseObject({ diagnosticCode: z.optional(z.string()) }))) })),
    complaint: z.optional(z.looseObject({ complaintFeedbackType: z.optional(z.string()) })),
    delivery: z.optional(z.looseObject({ timestamp: z.optional(z.string()) })),
    reject: z.optional(z.looseObject({ reason: z.optional(z.string()) })),
  }),
});

const KINDS: Record<string, EmailEvent['kind'] | undefined> = { Delivery: 'delivery', Bounce: 'bounce', Complaint: 'complaint', Reject: 'reject' };

/** The event in our terms, or undefined for kinds we do not act on (Send, Open, Click, …). */
export function toEmailEvent(input: unknown): EmailEvent | undefined {
  const event = SesEventBridgeEvent.parse(input);
  const kind = KINDS[event.detail.eventType];
  if (!kind) return undefined;
  const { detail } = event;
  const reason =
    detail.bounce?.bouncedRecipients?.map((recipient) => recipient.diagnosticCode).filter(Boolean).join('; ') ||
    detail.bounce?.bounceSubType ||
    detail.complaint?.complaintFeedbackType ||
    detail.reject?.reason ||
    detail.eventType;
  return { messageId: detail.mail.messageId, kind, bounceType: detail.bounce?.bounceType, detail: reason, at: detail.delivery?.timestamp ?? event.time };
}
