import type { Kysely } from 'kysely';
import type { Dialect } from '../connection.js';

/** `create table <name>` with an auto-increment integer id, spelled the way each dialect wants it. */
export function createTableWithId(db: Kysely<any>, dialect: Dialect, table: string) {
  return db.schema
    .createTable(table)
    .addColumn('id', dialect === 'postgres' ? 'serial' : 'integer', (c) =>
      dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement(),
    );
}
