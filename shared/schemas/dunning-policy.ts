import * as z from 'zod';
import { dunningLanguages, dunningTones, type DunningPolicy } from '#domain/dunning';
import { isCurrency, MAX_AMOUNT_MINOR } from '#domain/money';

const Level = z.strictObject({
  name: z.string().trim().min(1).max(60),
  offsetDays: z.number().int().min(-365).max(365),
  tone: z.enum(dunningTones),
  creditHold: z.boolean().optional(),
  lateFeeMinor: z.record(z.string().refine(isCurrency, 'must be an ISO 4217 currency code'), z.number().int().min(0).max(MAX_AMOUNT_MINOR)).optional(),
  interestAnnualBasisPoints: z.number().int().min(0).max(10_000).optional(),
});
const Template = z.strictObject({ subject: z.string().trim().min(1).max(200), intro: z.string().trim().min(1).max(2000) });
const TemplatesOfTone = z.strictObject(Object.fromEntries(dunningLanguages.map((language) => [language, Template])) as Record<(typeof dunningLanguages)[number], typeof Template>);

/** `PUT /dunning-policy`: the whole policy; ordering and overlaps of levels are checked by the use case. */
export const DunningPolicyBody = z.strictObject({
  levels: z.array(Level).min(1).max(12),
  customerOverrides: z
    .record(z.string().min(1), z.union([z.strictObject({ exempt: z.literal(true) }), z.strictObject({ levels: z.array(Level).min(1).max(12).optional(), waiveFees: z.boolean().optional() })]))
    .default({}),
  templates: z.strictObject(Object.fromEntries(dunningTones.map((tone) => [tone, TemplatesOfTone])) as Record<(typeof dunningTones)[number], typeof TemplatesOfTone>),
}) satisfies z.ZodType<DunningPolicy, unknown>;

/** `POST /invoices/{id}/promises`. */
export const PromiseBody = z.strictObject({
  date: z.iso.date(),
  amountMinor: z.number().int('must be an integer number of minor units').positive().max(MAX_AMOUNT_MINOR),
  note: z.string().trim().max(1000).optional(),
});
