import { cpus, freemem, loadavg, release, totalmem } from 'node:os'
import type { Queryable } from '../src-main/engine/db/types.js'

export interface Machine {
  cores: number
  cpu: string
  memoryGb: number
  freeMemoryGb: number
  kernel: string
  node: string
  postgres: string
  postgresSettings: Record<string, string>
}

/** One-minute, five-minute and fifteen-minute load averages, rounded. */
export function load(): [number, number, number] {
  return loadavg().map((l) => Math.round(l * 100) / 100) as [number, number, number]
}

/** What the numbers were measured on: cores, memory, versions, and the server settings that matter here. */
export async function describeMachine(db: Queryable): Promise<Machine> {
  const { rows } = await db.query<{ version: string }>('SELECT version()')
  const settings = await db.query<{ name: string; setting: string; unit: string | null }>(
    `SELECT name, setting, unit FROM pg_settings
     WHERE name IN ('shared_buffers', 'work_mem', 'max_wal_size', 'synchronous_commit', 'fsync', 'wal_level',
                    'max_parallel_workers_per_gather', 'effective_io_concurrency', 'jit')
     ORDER BY name`,
  )
  return {
    cores: cpus().length,
    cpu: cpus()[0]?.model ?? 'unknown',
    memoryGb: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    freeMemoryGb: Math.round((freemem() / 2 ** 30) * 10) / 10,
    kernel: release(),
    node: process.version,
    postgres: (rows[0]?.version ?? '').split(' on ')[0] ?? '',
    postgresSettings: Object.fromEntries(
      settings.rows.map((r) => [r.name, r.unit && r.unit !== '' ? `${r.setting} × ${r.unit}` : r.setting]),
    ),
  }
}
