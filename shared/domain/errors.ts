/**
 * Domain errors with stable names. Lambda reports `name` as the error type, so ASL `Retry`/`Catch` match these
 * names directly, and the HTTP layer maps them to a status and an error code without knowing each one.
 */
export abstract class DomainError extends Error {
  abstract readonly httpStatus: number;
  readonly details?: unknown;

  constructor(message: string, details?: unknown) {
    super(message);
    this.details = details;
  }

  /** The `code` of the public error body: SCREAMING_SNAKE of the name. */
  get code(): string {
    return this.name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
  }
}

export class InvalidSignature extends DomainError {
  override readonly name = 'InvalidSignature';
  readonly httpStatus = 401;
}

export class InvalidRequest extends DomainError {
  override readonly name = 'InvalidRequest';
  readonly httpStatus = 400;
}

export class Unauthenticated extends DomainError {
  override readonly name = 'Unauthenticated';
  readonly httpStatus = 401;
}

export class Forbidden extends DomainError {
  override readonly name = 'Forbidden';
  readonly httpStatus = 403;
}

export class OrderNotFound extends DomainError {
  override readonly name = 'OrderNotFound';
  readonly httpStatus = 404;
}

/** The request is valid but the resource is in a state that does not allow it (e.g. shipping a cancelled order). */
export class Conflict extends DomainError {
  override readonly name = 'Conflict';
  readonly httpStatus = 409;
}

export class NotFound extends DomainError {
  override readonly name = 'NotFound';
  readonly httpStatus = 404;
}

/** A dependency failed in a way worth retrying (throttling, a timeout); the workflow retries it. */
export class TransientError extends DomainError {
  override readonly name = 'TransientError';
  readonly httpStatus = 503;
}

/** Sending an email failed and the failure is recorded on its document; still a `TransientError` to the workflow. */
export class EmailNotSent extends TransientError {}

/** Every error name a state machine may route on. A test checks each ASL `ErrorEquals` against this list. */
export const domainErrorNames = ['InvalidRequest', 'OrderNotFound', 'Conflict', 'TransientError'] as const;
