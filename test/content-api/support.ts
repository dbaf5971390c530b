/** Helpers for the Content API tests: a key made through the Admin API, and keyed GETs. */
import assert from 'node:assert/strict';
import type { TestApp } from '../support/apps.js';
import { call, createStaff, signIn, type CallResult } from '../accounts/support.js';

export interface Admin {
  cookie: string;
  csrf: string;
}

export async function signInAdmin(t: TestApp): Promise<Admin> {
  const admin = await createStaff(t, 'admin');
  const { cookie, csrf } = await signIn(t, admin.email, admin.password);
  return { cookie, csrf };
}

export async function makeKey(t: TestApp, admin: Admin, body: Record<string, unknown> = { name: 'iOS app' }): Promise<{ id: number; secret: string }> {
  const res = await call(t, 'POST', '/api/admin/api-keys', { body, cookie: admin.cookie, csrf: admin.csrf });
  assert.equal(res.status, 201, res.text);
  return { id: res.json.key.id, secret: res.json.secret };
}

/** A GET under /api/content/v1 with the key as a Bearer token (unless headers say otherwise). */
export function get(t: TestApp, secret: string | undefined, path: string, headers: Record<string, string> = {}): Promise<CallResult> {
  return call(t, 'GET', `/api/content/v1${path}`, { headers: { ...(secret ? { authorization: `Bearer ${secret}` } : {}), ...headers } });
}
