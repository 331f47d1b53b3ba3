import * as z from '#schemas/zod';
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
