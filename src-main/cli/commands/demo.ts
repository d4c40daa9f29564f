import { type Command, InvalidArgumentError } from 'commander'
import { loadDemo, MAX_SCALE, MIN_SCALE, validateDemoOptions } from '../../engine/demo/demo.js'
import { action, addConnectionOptions, withCliDb } from '../context.js'

function number(flag: string) {
  return (value: string): number => {
    const n = Number(value)
    if (value.trim() === '' || !Number.isFinite(n)) throw new InvalidArgumentError(`${flag} must be a number`)
    return n
  }
}

/** Defines `assay demo` on the command the registry created. */
export function defineDemo(command: Command): void {
  addConnectionOptions(
    command
      .option(
        '--scale <s>',
        `size relative to the real data set, ${MIN_SCALE} … ${MAX_SCALE}`,
        number('--scale'),
        1,
      )
      .option('--seed <n>', 'random seed: the same seed gives the same data', number('--seed'), 42),
  ).action(
    action(async (options: Record<string, unknown>) => {
      const scale = options.scale as number
      const seed = options.seed as number
      validateDemoOptions(scale, seed)
      return withCliDb(options, async (db) => {
        const report = await loadDemo(db, { scale, seed })
        if (report.status === 'already_present') {
          console.log(`bronze already holds the demo data ${report.sourceFile}; nothing added`)
          return 0
        }
        const months = report.months
        console.log(
          `loaded ${report.lines.toLocaleString('en')} demo lines into bronze.raw_transactions as ${report.sourceFile} in ${report.seconds.toFixed(1)} s`,
        )
        console.log(
          `  ${report.invoices.toLocaleString('en')} invoices (${report.cancellations.toLocaleString('en')} cancellations), ${report.products.toLocaleString('en')} stock codes, ${report.customers.toLocaleString('en')} customers, ${report.countries} countries`,
        )
        console.log(`  ${months.length} months: ${months[0]} … ${months[months.length - 1]}`)
        console.log('next: assay silver')
        return 0
      })
    }),
  )
}
