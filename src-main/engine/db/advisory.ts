/** Advisory-lock SQL for PostgreSQL sessions (PGlite's locks are emulated in process: see pglite.ts). */

/**
 * Session.tryLock on PostgreSQL: a lock the session already holds is not taken again (bare advisory locks stack,
 * and one unlock would then not release it), and the finished locks in $3 are released in the same round trip.
 */
export const TRY_LOCK = {
  name: 'db/try-lock',
  text: `
SELECT CASE WHEN ${heldBySession('$1::int', '$2::int')} THEN true ELSE pg_try_advisory_lock($1::int, $2::int) END AS ok,
       (SELECT count(*) FROM unnest($3::int[]) AS r(id) WHERE pg_advisory_unlock($1::int, r.id)) AS released`,
}

/**
 * SQL: whether this session holds the two-key advisory lock (namespace, id), both int expressions. pg_locks shows
 * the keys as oids, i.e. their 32 bits unsigned.
 */
function heldBySession(namespace: string, id: string): string {
  const asOid = (key: string) => `((${key})::int8 & 4294967295)::oid`
  return `EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid() AND objsubid = 2
            AND classid = ${asOid(namespace)} AND objid = ${asOid(id)})`
}

/**
 * Db.heldLocks on PostgreSQL: ids of the two-key advisory locks of namespace $1 held by any session of this
 * database, read from pg_locks (so it never takes a lock a runner might be reaching for). Keys come back signed.
 */
export const HELD_LOCKS = {
  name: 'db/held-locks',
  text: `
SELECT CASE WHEN objid::int8 > 2147483647 THEN objid::int8 - 4294967296 ELSE objid::int8 END AS id FROM pg_locks
WHERE locktype = 'advisory' AND granted AND objsubid = 2 AND classid = (($1::int)::int8 & 4294967295)::oid
  AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
}
