import { describe, expect, it } from 'vitest';
import { IAT_CLOCK_SKEW_SECONDS, mintDevToken, verifyDevToken } from '#local/dev-tokens';
import { Random } from '../../support/cash-ledger.ts';

const nowSeconds = () => Math.floor(Date.now() / 1000);
const bearer = (token: string) => `Bearer ${token}`;
const DAY = 24 * 3600;

describe('verifyDevToken (the HTTP API JWT authorizer checks exp, nbf and iat)', () => {
  it('given a token minted now, when verified, then its claims come back', async () => {
    const claims = await verifyDevToken(bearer(await mintDevToken('viewer')));

    expect(claims).toMatchObject({ sub: 'dev-viewer', 'cognito:groups': ['viewer'] });
  });

  it('given tokens issued at random instants beyond the clock skew in the future (valid signature, exp after iat), when verified, then every one is refused', async () => {
    const random = new Random(11);
    // +2, not +1: a second may tick between minting and verifying.
    const offsets = [IAT_CLOCK_SKEW_SECONDS + 2, IAT_CLOCK_SKEW_SECONDS + 60, 365 * DAY, ...Array.from({ length: 20 }, () => random.int(IAT_CLOCK_SKEW_SECONDS + 2, 30 * DAY))];

    const accepted: number[] = [];
    for (const offset of offsets) if (await verifyDevToken(bearer(await mintDevToken('admin', { issuedAt: nowSeconds() + offset })))) accepted.push(offset);

    expect(accepted).toEqual([]);
  });

  it('given tokens issued in the past or within the clock skew ahead, and not yet expired, when verified, then every one is accepted', async () => {
    const random = new Random(12);
    const offsets = [-1, 0, IAT_CLOCK_SKEW_SECONDS - 1, ...Array.from({ length: 20 }, () => random.int(-6 * 3600, IAT_CLOCK_SKEW_SECONDS - 1))];

    const refused: number[] = [];
    for (const offset of offsets) if (!(await verifyDevToken(bearer(await mintDevToken('viewer', { issuedAt: nowSeconds() + offset }))))) refused.push(offset);

    expect(refused).toEqual([]);
  });

  it('given a token whose exp has passed, when verified, then it is refused', async () => {
    const claims = await verifyDevToken(bearer(await mintDevToken('viewer', { issuedAt: nowSeconds() - 2 * 3600, ttlSeconds: 3600 })));

    expect(claims).toBeUndefined();
  });
});
