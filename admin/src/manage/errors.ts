/** Anything a call can throw, as an ApiError, so forms can always ask `error.field('/path')`. */
import { ApiError } from '../api';

export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  return new ApiError(0, 'unknown', error instanceof Error ? error.message : String(error));
}
