/** Small helpers for the accounts tests: JSON calls to the Admin API, staff fixtures, signing in. */
import assert from 'node:assert/strict';
import type { TestApp } from '../support/apps.js';
import type { Role } from '../../src/accounts/permissions.js';

export const PASSWORD = 'a long and memorable passphrase';

export interface CallOptions {
  body?: unknown;
  /** Raw body text (sent as is, JSON content type unless headers say otherwise). */
  raw?: string;
  cookie?: string;
  csrf?: string;
  headers?: Record<string, string>;
}

export interface CallResult {
  status: number;
  headers: Headers;
  json: any;
  text: string;
  /** "name=value" of the Set-Cookie header, if any. */
  setCookie: string | undefined;
}

export async function call(base: string | TestApp, method: string, path: string, options: CallOptions = {}): Promise<CallResult> {
  const url = (typeof base === 'string' ? base : base.url) + path;
  const headers: Record<string, string> = {};
  if (options.body !== undefined || options.raw !== undefined) headers['content-type'] = 'application/json';
  if (options.cookie) headers.cookie = options.cookie;
  if (options.csrf) headers['x-csrf-token'] = options.csrf;
  Object.assign(headers, options.headers);
  const response = await fetch(url, {
    method,
    headers,
    body: options.raw ?? (options.body !== undefined ? JSON.stringify(options.body) : undefined),
    redirect: 'manual',
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  const setCookie = response.headers.get('set-cookie') ?? undefined;
  return { status: response.status, headers: response.headers, json, text, setCookie: setCookie?.split(';')[0] };
}

export interface Staff {
  id: number;
  email: string;
  password: string;
  role: Role;
}

let counter = 0;

export async function createStaff(t: TestApp, role: Role, email = `${role}${++counter}@news.test`, password = PASSWORD): Promise<Staff> {
  const user = await t.app.accounts.service.createUser({ email, name: `${role[0]!.toUpperCase()}${role.slice(1)} Person`, role, password });
  return { id: user.id, email: user.email, password, role };
}

export interface Signed {
  cookie: string;
  csrf: string;
  user: { id: number; role: Role; email: string };
}

export async function signIn(base: string | TestApp, email: string, password: string, headers: Record<string, string> = {}): Promise<Signed> {
  const res = await call(base, 'POST', '/api/admin/session', { body: { email, password }, headers });
  assert.equal(res.status, 200, `sign-in of ${email}: ${res.text}`);
  assert.ok(res.setCookie, 'a session cookie was set');
  return { cookie: res.setCookie!, csrf: res.json.csrfToken, user: res.json.user };
}

/** Extracts the token from a link like http://news.test/admin/reset-password#token=XYZ. */
export function tokenOf(link: string): string {
  const match = /#token=([A-Za-z0-9_-]+)/.exec(link);
  assert.ok(match, `no token in ${link}`);
  return match[1]!;
}
