import * as z from '#schemas/zod';
import { dunningLanguages, dunningTones, type DunningPolicy } from '#domain/dunning';
import { isCurrency, MAX_AMOUNT_MINOR } from '#domain/money';

const Level = z.strictObject({
  name: z.string().check(z.trim(), z.minLength(1), z.maxLength(60)),
  offsetDays: z.number().check(z.int(), z.gte(-365), z.lte(365)),
  tone: z.enum(dunningTones),
  creditHold: z.optional(z.boolean()),
  lateFeeMinor: z.optional(z.record(z.string().check(z.refine(isCurrency, 'must be an ISO 4217 currency code')), z.number().check(z.int(), z.gte(0), z.lte(MAX_AMOUNT_MINOR)))),
  interestAnnualBasisPoints: z.optional(z.number().check(z.int(), z.gte(0), z.lte(10_000))),
});
const Template = z.strictObject({ subject: z.string().check(z.trim(), z.minLength(1), z.maxLength(200)), intro: z.string().check(z.trim(), z.minLength(1), z.maxLength(2000)) });
const TemplatesOfTone = z.strictObject(Object.fromEntries(dunningLanguages.map((language) => [language, Template])) as Record<(typeof dunningLanguages)[number], typeof Template>);

/** `PUT /dunning-policy`: the whole policy; ordering and overlaps of levels are checked by the use case. */
export const DunningPolicyBody = z.strictObject({
  levels: z.array(Level).check(z.minLength(1), z.maxLength(12)),
  customerOverrides: z._default(
    z.record(z.string().check(z.minLength(1)), z.union([z.strictObject({ exempt: z.literal(true) }), z.strictObject({ levels: z.optional(z.array(Level).check(z.minLength(1), z.maxLength(12))), waiveFees: z.optional(z.boolean()) })])),
    {},
  ),
  templates: z.strictObject(Object.fromEntries(dunningTones.map((tone) => [tone, TemplatesOfTone])) as Record<(typeof dunningTones)[number], typeof TemplatesOfTone>),
}) satisfies z.ZodMiniType<DunningPolicy, unknown>;

/** `POST /invoices/{id}/promises`. */
export const PromiseBody = z.strictObject({
  date: z.iso.date(),
  amountMinor: z.number().check(z.int('must be an integer number of minor units'), z.gt(0), z.lte(MAX_AMOUNT_MINOR)),
  note: z.optional(z.string().check(z.trim(), z.maxLength(1000))),
});
