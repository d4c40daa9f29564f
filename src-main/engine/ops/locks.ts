/**
 * Advisory-lock namespaces. Locks are session-level: they die with the runner's connection, so a runner
 * killed with `kill -9` can never leave a month or a run claimed.
 */
export const LOCK = {
  month: 0x41530001,
  run: 0x41530002,
  stage: 0x41530003,
  /** Ingest of one file (id = the first 32 bits of its SHA-256). */
  ingest: 0x41530004,
  /** Demo data loads (id 0). */
  demo: 0x41530005,
  /** Silver builds (id 0): one at a time, each taking the bronze change log it saw. */
  silver: 0x41530006,
} as const

/** A stable signed 32-bit id for a text key (FNV-1a), for the two-key advisory-lock space. */
export function lockId(text: string): number {
  let hash = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i)
    hash = Math.imul(hash, 0x01000193)
  }
  return hash | 0
}
