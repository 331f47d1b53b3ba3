import { saveDunningPolicy } from '#domain/use-cases/dunning';
import { DunningPolicyBody } from '#schemas/dunning-policy';
import { httpHandler, json, parseBody } from '#shared/http';
import { businessClock } from '#shared/clock';
import { dunningStore } from '#shared/wiring';

const deps = { dunning: dunningStore(), clock: businessClock };

/** `PUT /dunning-policy`: replaces the policy; unordered or overlapping levels are a 400 that says which. */
export const handler = httpHandler('PUT /dunning-policy', async (event, caller) => json(200, await saveDunningPolicy({ policy: parseBody(event, DunningPolicyBody), caller }, deps)));
