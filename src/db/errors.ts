/** Reading database errors the same way on both engines. */

/**
 * The database refused a row because a unique index already holds its key
 * (PostgreSQL 23505, SQLite's UNIQUE constraint). Code that races on a key
 * (two workers, a double click) lets the index decide and reads this.
 */
export function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string; message?: string } | null;
  return e?.code === '23505' || e?.code === 'SQLITE_CONSTRAINT_UNIQUE' || /UNIQUE constraint failed/.test(e?.message ?? '');
}

/**
 * Two transactions raced and the database gave up on one: a unique key (as
 * above), or PostgreSQL broke a deadlock (40P01) or a serialization conflict
 * (40001). For work where the other transaction winning is the answer (two
 * first-run setups), the loser is told so instead of failing.
 */
export function isLostRace(error: unknown): boolean {
  const e = error as { code?: string } | null;
  return isUniqueViolation(error) || e?.code === '40P01' || e?.code === '40001';
}
