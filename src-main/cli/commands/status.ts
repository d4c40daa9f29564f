import type { Command } from 'commander'
import { type LayerStatus, layerStatus } from '../../engine/status/layer-status.js'
import { action, addConnectionOptions, withCliDb } from '../context.js'

/** The status as text: schema state, one line per table, bronze sources, then what to run next. */
export function formatStatus(status: LayerStatus): string[] {
  const out = [`database: ${status.database.label}`]
  const { schema } = status
  if (schema.pending.length > 0)
    out.push(`schema:   ${schema.pending.length} migration(s) pending: ${schema.pending.join(', ')}`)
  else out.push(`schema:   up to date (${schema.migrations} migrations)`)
  if (schema.changed.length > 0) {
    out.push(`          edited after being applied (not re-run): ${schema.changed.join(', ')}`)
  }
  out.push('')
  let layer = ''
  for (const table of status.tables) {
    const head = table.layer === layer ? '' : table.layer
    layer = table.layer
    const rows =
      table.rows === null ? 'missing' : table.rows === 0 ? 'empty' : `${table.rows.toLocaleString('en')} rows`
    out.push(`${head.padEnd(8)}${table.name.padEnd(34)}${rows.padStart(16)}`)
  }
  if (status.bronzeSources.length > 0) {
    out.push('', 'bronze sources:')
    for (const s of status.bronzeSources) {
      out.push(
        `  ${(s.sourceFile ?? '(no source_file)').padEnd(40)} ${s.rows.toLocaleString('en').padStart(12)} rows  ${s.firstDate} … ${s.lastDate}`,
      )
    }
  }
  out.push('')
  if (status.nextSteps.length === 0) out.push('every layer is filled')
  for (const step of status.nextSteps) out.push(`next: ${step.commands.join('   or   ')}   (${step.why})`)
  return out
}

/** Defines `assay status` on the command the registry created. */
export function defineStatus(command: Command): void {
  addConnectionOptions(command.option('--json', 'print a machine-readable object')).action(
    action(async (options: Record<string, unknown>) =>
      withCliDb(options, async (db) => {
        const status = await layerStatus(db)
        if (options.json) console.log(JSON.stringify(status, null, 2))
        else for (const line of formatStatus(status)) console.log(line)
        return 0
      }),
    ),
  )
}
