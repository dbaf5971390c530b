/**
 * What a provider module makes of one webhook request: refused (with the HTTP
 * status and a message for the provider's log), or the events to apply under
 * a key that is remembered, so a replay changes nothing.
 */
import { createHash } from 'node:crypto';
import type { TSchema, Static } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import type { MailEvent } from '../suppressions.service.js';

export type Refusal = { ok: false; status: 400 | 401 | 403 | 404 | 502 | 503; message: string };
export type Accepted = { ok: true; eventKey: string; digest: string; events: MailEvent[] };
export type Verdict = Refusal | Accepted;

export const refuse = (status: Refusal['status'], message: string): Refusal => ({ ok: false, status, message });
export const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/** JSON text → value; undefined when it is not JSON. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** A compiled TypeBox check that says which field is wrong (for a 400 the provider's log shows). */
export function checker<T extends TSchema>(schema: T): (value: unknown) => { value: Static<T> } | { problem: string } {
  const compiled = TypeCompiler.Compile(schema);
  return (value) => {
    if (compiled.Check(value)) return { value };
    const first = compiled.Errors(value).First();
    return { problem: `${first?.path || '/'}: ${first?.message ?? 'invalid'}` };
  };
}
