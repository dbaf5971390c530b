/**
 * Strict checking of a JSON body against a compiled TypeBox schema, for the
 * services that must refuse (not silently drop) unknown fields: Fastify's own
 * validation removes them. Problems come back as field paths in a 400.
 */
import type { Static, TSchema } from '@sinclair/typebox';
import type { TypeCheck } from '@sinclair/typebox/compiler';
import { ValueErrorType } from '@sinclair/typebox/errors';
import { Invalid } from './errors.js';

export function checked<T extends TSchema>(check: TypeCheck<T>, input: unknown, message: string): Static<T> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new Invalid('Send a JSON object');
  if (check.Check(input)) return input;
  const fields = [...check.Errors(input)].slice(0, 10).map((e) => ({
    path: e.path || '/',
    // By the error's kind, not its wording: TypeBox says "Unexpected property", which names no field.
    message: e.type === ValueErrorType.ObjectAdditionalProperties ? 'unknown field' : e.message,
  }));
  throw new Invalid(message, fields);
}
