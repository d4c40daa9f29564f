import { Command, CommanderError } from 'commander'
import { commands } from './commands/index.js'
import { commandPath, note } from './context.js'

/** Builds the `assay` program. Exported so tests can drive it in-process. */
export function buildProgram(): Command {
  const program = new Command('assay')
    .description(
      "Keeps a retail warehouse's gold layer correct: idempotent monthly processing, reliable stages, checkpoints and logs.",
    )
    .version('0.1.0')
    .showSuggestionAfterError(true)
  for (const register of commands) register(program)
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

export async function main(argv: string[]): Promise<void> {
  const program = buildProgram()
  try {
    await program.parseAsync(argv)
  } catch (error) {
    if (error instanceof CommanderError) {
      const ok = ['commander.helpDisplayed', 'commander.version', 'commander.help'].includes(error.code)
      process.exitCode = ok ? 0 : 2
      return
    }
    note(`error: ${error instanceof Error ? error.message : String(error)}`)
    process.exitCode = 1
  }
}
