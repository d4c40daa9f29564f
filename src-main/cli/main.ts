import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { Command, CommanderError } from 'commander'
import { AssayError, UsageError } from '../engine/errors.js'
import { privateUmask } from '../engine/private-files.js'
import { type CommandEntry, commands } from './commands/index.js'
import { commandPath, note } from './usage.js'

/** Kept equal to package.json's version (packaging.test.ts checks it). */
export const VERSION = '0.1.0'

/**
 * The command `argv` runs (or asks help for), found without parsing: only that command's module is loaded.
 * Global options come before it; `--env-file` takes a value.
 */
export function requestedCommand(args: readonly string[]): CommandEntry | undefined {
  const words: string[] = []
  for (let i = 0; i < args.length && words.length < 2; i++) {
    const arg = args[i] as string
    if (arg === '--env-file') i++
    else if (!arg.startsWith('-')) words.push(arg)
  }
  const name = words[0] === 'help' ? words[1] : words[0]
  return commands.find((entry) => entry.name === name)
}

/** `--env-file PATH`: that file replaces `.env` in the working folder (real environment variables still win). */
function applyEnvFile(path: string): void {
  const file = resolve(path)
  if (!existsSync(file)) throw new UsageError(`--env-file: no such file: ${file}`)
  process.env.ASSAY_ENV_FILE = file
}

/**
 * Builds the `assay` program for `argv` (the arguments after node and the script): every command is listed,
 * but only the one `argv` names is loaded and defined. Exported so tests can drive it in-process.
 */
export async function buildProgram(args: readonly string[] = []): Promise<Command> {
  const program = new Command('assay')
    .description(
      "Keeps a retail warehouse's gold layer correct: idempotent monthly processing, reliable stages, checkpoints and logs.",
    )
    .version(VERSION)
    .option('--env-file <path>', 'read settings from this file instead of .env in the current folder')
    .showSuggestionAfterError(true)
    .hook('preAction', (command) => {
      const envFile = command.opts().envFile as string | undefined
      if (envFile) applyEnvFile(envFile)
    })
  const wanted = requestedCommand(args)
  for (const entry of commands) {
    const command = program.command(entry.name).description(entry.summary)
    if (entry === wanted) (await entry.load())(command)
  }
  applyUsageConventions(program)
  return program
}

/** Commander errors (unknown flag, missing argument) exit 2 with the reason and the command's usage line. */
function applyUsageConventions(command: Command): void {
  command.exitOverride()
  command.configureOutput({
    outputError: (message, write) => {
      write(message)
      write(`usage: ${commandPath(command)} ${command.usage()}\n`)
    },
  })
  for (const sub of command.commands) applyUsageConventions(sub)
}

/** Runs `assay` with `argv` as `process.argv` (node, script, arguments…); sets `process.exitCode`. */
export async function main(argv: string[]): Promise<void> {
  // Everything the CLI writes (database, logs, exports) is this user's alone.
  privateUmask()
  try {
    const program = await buildProgram(argv.slice(2))
    await program.parseAsync(argv)
  } catch (error) {
    if (error instanceof CommanderError) {
      const ok = ['commander.helpDisplayed', 'commander.version', 'commander.help'].includes(error.code)
      process.exitCode = ok ? 0 : 2
      return
    }
    note(`error: ${error instanceof Error ? error.message : String(error)}`)
    process.exitCode = error instanceof AssayError ? error.exitCode : 1
  }
}
