import { basename } from 'node:path'
import cliProgress from 'cli-progress'
import { type Command, Option } from 'commander'
import { ingestFile } from '../../engine/ingest/ingest.js'
import { formatOf } from '../../engine/ingest/sniff.js'
import { summariseIngest } from '../../engine/ingest/summary.js'
import type { DateFormatOption } from '../../engine/ingest/types.js'
import { action, addConnectionOptions, withCliDb } from '../context.js'

/** A bytes-based bar on stderr, only when stderr is a terminal (never in logs or pipes). */
function progressBar(file: string): { update: (bytes: number, total: number) => void; stop: () => void } {
  if (!process.stderr.isTTY) return { update: () => undefined, stop: () => undefined }
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      // Progress covers both passes over the file: hashing (first half) and loading (second half).
      format: 'ingest {file} ({totalMb} MB) [{bar}] {percentage}% | ETA {eta_formatted}',
      hideCursor: true,
      clearOnComplete: true,
    },
    cliProgress.Presets.shades_classic,
  )
  let started = false
  return {
    update(bytes, total) {
      if (!started) {
        started = true
        bar.start(total, 0, { file, totalMb: (total / 2 ** 20).toFixed(1) })
      }
      bar.update(bytes)
    },
    stop: () => {
      if (started) bar.stop()
      started = false
    },
  }
}

/** Defines `assay ingest` on the command the registry created. */
export function defineIngest(command: Command): void {
  addConnectionOptions(
    command
      .argument('<file>', 'the .csv or .xlsx file')
      .addOption(
        new Option(
          '--date-format <layout>',
          'how slash dates are written: auto detects per file, dmy = 01/12/2010, mdy = 12/1/2010',
        )
          .choices(['auto', 'dmy', 'mdy'])
          .default('auto'),
      ),
  ).action(
    action(async (file: string, options: Record<string, unknown>) => {
      formatOf(file)
      return withCliDb(options, async (db) => {
        const bar = progressBar(basename(file))
        try {
          const report = await ingestFile(db, file, {
            dateFormat: options.dateFormat as DateFormatOption,
            onProgress: bar.update,
          })
          bar.stop()
          for (const line of summariseIngest(report)) console.log(line)
          return report.status === 'loaded' && report.rejected > 0 ? 3 : 0
        } finally {
          bar.stop()
        }
      })
    }),
  )
}
