import { type ChildProcess, spawn } from 'node:child_process'
import { type CliResult, collect } from '../../src-main/test-support/cli-process'
import { ASSAY_BIN, ROOT } from './paths'

export type { CliResult }

/** Starts `assay <args>` as its own process (as a user in a terminal or cron would). */
export function spawnAssay(args: string[], env: NodeJS.ProcessEnv = {}): ChildProcess {
  return spawn(process.execPath, [ASSAY_BIN, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
}

/** Waits for a spawned command to exit and returns what it printed. */
export const finished = collect

/** Runs `assay <args>` to completion; a non-zero exit is an error carrying its output. */
export async function runAssay(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  const result = await finished(spawnAssay(args, env))
  if (result.code !== 0) {
    throw new Error(`assay ${args.join(' ')} exited ${result.code}\n${result.stderr}${result.stdout}`)
  }
  return result
}
