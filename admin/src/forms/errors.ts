/** Anything a call can throw, as an ApiError, so forms can always ask `error.field('/path')`. */
import { ApiError } from '../api';

export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  return new ApiError(0, 'unknown', error instanceof Error ? error.message : String(error));
}

/** Schema wording from the API's validator, said plainly for the fields where it shows up. */
export function plainFieldMessage(message: string | undefined): string | undefined {
  if (message && /format "email"/.test(message)) return 'Enter a full email address, like name@example.com';
  return message;
}
