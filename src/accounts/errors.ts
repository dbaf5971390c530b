/**
 * The two errors only accounts raise, in the same hierarchy as src/shared/errors.ts
 * (so src/http/errors.ts maps them): not signed in (401) and too many attempts (429).
 */
import { AppError } from '../shared/errors.js';

export class Unauthenticated extends AppError {
  readonly status = 401;
  readonly code: string;
  constructor(message = 'Please sign in', code = 'unauthenticated') {
    super(message);
    this.code = code;
  }
}

export class TooManyAttempts extends AppError {
  readonly status = 429;
  readonly code = 'too_many_attempts';
  constructor(readonly retryAfterSeconds: number) {
    const minutes = Math.max(1, Math.ceil(retryAfterSeconds / 60));
    super(`Too many attempts; try again in ${minutes} minute${minutes === 1 ? '' : 's'}`);
  }
}

/** A state-changing request without this session's CSRF token (or with a wrong one). */
export class CsrfRejected extends AppError {
  readonly status = 403;
  readonly code = 'csrf';
  constructor(message = 'This request is missing its security token; reload the page and try again') {
    super(message);
  }
}

/** A browser on another site tried to make the request (Origin / Sec-Fetch-Site). */
export class CrossOrigin extends AppError {
  readonly status = 403;
  readonly code = 'cross_origin';
}

export class UnsupportedMediaType extends AppError {
  readonly status = 415;
  readonly code = 'unsupported_media_type';
  constructor(message = 'Send JSON (content-type: application/json)') {
    super(message);
  }
}
