import * as z from '#schemas/zod';
import { sendableEmailAddress } from '#domain/email-address';
import { refusedCharacter, refusedTextMessage } from '#domain/text';

/**
 * A string with no character SQS, DynamoDB or our documents refuse (`#domain/text`), for identifiers at the
 * boundary: such a string is a 400 naming its field, never a 500 after a half-done write.
 */
export const acceptedText = <Schema extends z.ZodMiniType<string>>(schema: Schema) =>
  schema.check(
    z.superRefine((value, context) => {
      const character = refusedCharacter(value);
      if (character) context.addIssue({ code: 'custom', message: refusedTextMessage(character) });
    }),
  );

/** An email address mail can be sent to (`#domain/email-address`): what the MIME writer writes, so a 400 now, not a FAILED email later. */
export const EmailAddress = z.email({ abort: true }).check(z.refine((address) => sendableEmailAddress(address) !== undefined, 'not an email address mail can be sent to (RFC 5321: a local part of at most 64 characters, a domain of DNS labels, 254 characters in all)'));
