import type { Command } from 'commander'
import { registerInit } from './init.js'

/** Every `assay` command, in the order `--help` lists them. */
export const commands: ((program: Command) => void)[] = [registerInit]
