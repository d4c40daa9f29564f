import { type ChildProcess, spawn } from 'node:child_process'
import { ASSAY_BIN, ROOT } from './paths'

export interface CliResult {
  code: number | null
  stdout: string
  stderr: string
}

/** Starts `assay <args>` as its own process (as a user in a terminal or cron would). */
export function spawnAssay(args: string[], env: NodeJS.ProcessEnv = {}): ChildProcess {
  return spawn(process.execPath, [ASSAY_BIN, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
}

/** Waits for a spawned command to exit and returns what it printed. */
export function finished(child: ChildProcess): Promise<CliResult> {
  let stdout = ''
  let stderr = ''
  child.stdout?.on('data', (chunk) => {
    stdout += chunk
  })
  child.stderr?.on('data', (chunk) => {
    stderr += chunk
  })
  return new Promise((resolve, reject) => {
    child.once('error', reject)
    child.once('exit', (code) => resolve({ code, stdout, stderr }))
  })
}

/** Runs `assay <args>` to completion; a non-zero exit is an error carrying its output. */
export async function runAssay(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  const result = await finished(spawnAssay(args, env))
  if (result.code !== 0) {
    throw new Error(`assay ${args.join(' ')} exited ${result.code}\n${result.stderr}${result.stdout}`)
  }
  return result
}
