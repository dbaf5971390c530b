/** Kysely queries for Content API keys and their per-minute request counts. No rules here: see keys.service.ts. */
import type { Kysely } from 'kysely';
import type { ApiKeyRow, Database } from '../db/schema.js';

export interface NewApiKey {
  name: string;
  prefix: string;
  secretHash: string;
  rateLimit: number;
  corsOrigins: string[];
  createdAt: string;
  createdBy: number | null;
}

export interface ApiKeyListRow extends ApiKeyRow {
  created_by_name: string | null;
}

export class ApiKeysRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(key: NewApiKey): Promise<number> {
    const { id } = await this.db
      .insertInto('api_keys')
      .values({
        name: key.name,
        prefix: key.prefix,
        secret_hash: key.secretHash,
        rate_limit: key.rateLimit,
        cors_origins: JSON.stringify(key.corsOrigins),
        created_at: key.createdAt,
        created_by: key.createdBy,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return id;
  }

  /** Every key, newest first, with the name of the staff member who made it. */
  list(): Promise<ApiKeyListRow[]> {
    return this.db
      .selectFrom('api_keys as k')
      .leftJoin('users as u', 'u.id', 'k.created_by')
      .selectAll('k')
      .select('u.name as created_by_name')
      .orderBy('k.id', 'desc')
      .execute();
  }

  byId(id: number): Promise<ApiKeyListRow | undefined> {
    return this.db
      .selectFrom('api_keys as k')
      .leftJoin('users as u', 'u.id', 'k.created_by')
      .selectAll('k')
      .select('u.name as created_by_name')
      .where('k.id', '=', id)
      .executeTakeFirst();
  }

  byHash(secretHash: string): Promise<ApiKeyRow | undefined> {
    return this.db.selectFrom('api_keys').selectAll().where('secret_hash', '=', secretHash).executeTakeFirst();
  }

  async update(id: number, patch: { name?: string; rateLimit?: number; corsOrigins?: string[] }): Promise<void> {
    await this.db
      .updateTable('api_keys')
      .set({
        ...(patch.name !== undefined ? { name: patch.name } : {}),
        ...(patch.rateLimit !== undefined ? { rate_limit: patch.rateLimit } : {}),
        ...(patch.corsOrigins !== undefined ? { cors_origins: JSON.stringify(patch.corsOrigins) } : {}),
      })
      .where('id', '=', id)
      .execute();
  }

  /** Revokes once: a second call keeps the first time. */
  async revoke(id: number, at: string): Promise<void> {
    await this.db.updateTable('api_keys').set({ revoked_at: at }).where('id', '=', id).where('revoked_at', 'is', null).execute();
  }

  async touch(id: number, at: string): Promise<void> {
    await this.db.updateTable('api_keys').set({ last_used_at: at }).where('id', '=', id).execute();
  }

  /** CORS origins of every key that still works (for preflight requests, which carry no key). */
  async activeOrigins(): Promise<string[][]> {
    const rows = await this.db.selectFrom('api_keys').select('cors_origins').where('revoked_at', 'is', null).execute();
    return rows.map((r) => parseOrigins(r.cors_origins));
  }

  /** Counts one request in the key's minute and returns the minute's count (one statement: safe across nodes). */
  async countRequest(keyId: number, minute: number): Promise<number> {
    const row = await this.db
      .insertInto('api_key_usage')
      .values({ key_id: keyId, window_start: minute, count: 1 })
      .onConflict((oc) => oc.columns(['key_id', 'window_start']).doUpdateSet((eb) => ({ count: eb('api_key_usage.count', '+', 1) })))
      .returning('count')
      .executeTakeFirstOrThrow();
    return Number(row.count);
  }

  /** Forgets the key's earlier minutes (called when a new minute starts: the table stays one row per key). */
  async forgetBefore(keyId: number, minute: number): Promise<void> {
    await this.db.deleteFrom('api_key_usage').where('key_id', '=', keyId).where('window_start', '<', minute).execute();
  }
}

export function parseOrigins(json: string): string[] {
  try {
    const value = JSON.parse(json) as unknown;
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  } catch {
    return [];
  }
}
