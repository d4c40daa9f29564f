import type { Command } from 'commander'
import { registerDemo } from './demo.js'
import { registerIngest } from './ingest.js'
import { registerInit } from './init.js'
import { registerMonthly } from './monthly.js'
import { registerReliable } from './reliable.js'
import { registerRuns } from './runs.js'
import { registerServe } from './serve.js'
import { registerSilver } from './silver.js'
import { registerStatus } from './status.js'

/** Every `assay` command, in the order `--help` lists them. */
export const commands: ((program: Command) => void)[] = [
  registerInit,
  registerIngest,
  registerDemo,
  registerSilver,
  registerMonthly,
  registerStatus,
  registerServe,
  registerReliable,
  registerRuns,
]
