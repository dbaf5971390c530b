/**
 * One small error hierarchy, mapped to HTTP in one place (src/http/errors.ts).
 * `expose` errors carry a message written for the client; anything else is a bug
 * and reaches clients only as a generic 500 with a request id.
 */
export abstract class AppError extends Error {
  abstract readonly status: number;
  abstract readonly code: string;
  readonly expose = true;
}

export class NotFound extends AppError {
  readonly status = 404;
  readonly code = 'not_found';
  constructor(message = 'Not found') {
    super(message);
  }
}

/** The thing existed and was withdrawn on purpose (unpublished article). */
export class Gone extends AppError {
  readonly status = 410;
  readonly code = 'gone';
  constructor(message = 'This page has been removed') {
    super(message);
  }
}

export class Forbidden extends AppError {
  readonly status = 403;
  readonly code = 'forbidden';
  constructor(message = 'You are not allowed to do that') {
    super(message);
  }
}

export interface FieldProblem {
  path: string;
  message: string;
}

export class Invalid extends AppError {
  readonly status = 400;
  readonly code = 'invalid';
  constructor(
    message: string,
    readonly fields: FieldProblem[] = [],
  ) {
    super(message);
  }
}

export class Conflict extends AppError {
  readonly status = 409;
  readonly code = 'conflict';
  constructor(
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}
