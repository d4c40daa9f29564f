import type { Command } from 'commander'
import { initDatabase } from '../../engine/schema/init.js'
import { action, addConnectionOptions, withCliDb } from '../context.js'

/** Defines `assay init` on the command the registry created. */
export function defineInit(command: Command): void {
  addConnectionOptions(command).action(
    action(async (options: Record<string, unknown>) =>
      withCliDb(options, async (db) => {
        const { migrations: report, repaired, drifted } = await initDatabase(db)
        for (const name of report.applied) console.log(`applied   ${name}`)
        for (const change of report.changed) {
          console.log(
            `CHANGED   ${change.name}: it was edited after being applied (recorded ${change.recorded.slice(0, 12)}…, now ${change.current.slice(0, 12)}…); it is not re-run — add a new migration instead`,
          )
        }
        for (const problem of repaired)
          console.log(`repaired  ${problem.kind} ${problem.name} (was ${problem.state})`)
        if (drifted.length > 0)
          console.log(
            `every month verified, since silver's tracking was off: ${drifted.join(', ')} drifted (marked) — next: assay monthly`,
          )
        if (report.applied.length === 0 && report.changed.length === 0 && repaired.length === 0) {
          console.log(
            `nothing to do: all ${report.alreadyApplied.length} migrations applied, every object Assay owns in place`,
          )
        } else if (report.applied.length > 0) {
          console.log(
            `${report.applied.length} migration(s) applied, ${report.alreadyApplied.length} already in place`,
          )
        }
        return report.changed.length > 0 ? 1 : 0
      }),
    ),
  )
}
