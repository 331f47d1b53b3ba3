import type { Clock } from '#domain/ports';

/** Env var the embedded runtime sets when `POST /_local/clock` moves simulated time; absent on AWS. */
export const CLOCK_OFFSET_ENV = 'O2C_CLOCK_OFFSET_MS';

/** Business time: the wall clock plus the local simulation offset (read per call, so a move applies at once). */
export const businessClock: Clock = {
  now: () => new Date(Date.now() + Number(process.env[CLOCK_OFFSET_ENV] ?? 0)),
};

/** Real time, for replay windows and token expiry, which must not follow simulated days. */
export const wallClock: Clock = { now: () => new Date() };
