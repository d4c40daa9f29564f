import type { Command } from 'commander'
import { registerDemo } from './demo.js'
import { registerIngest } from './ingest.js'
import { registerInit } from './init.js'
import { registerSilver } from './silver.js'
import { registerStatus } from './status.js'

/** Every `assay` command, in the order `--help` lists them. */
export const commands: ((program: Command) => void)[] = [
  registerInit,
  registerIngest,
  registerDemo,
  registerSilver,
  registerStatus,
]
