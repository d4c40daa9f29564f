import type { Command } from 'commander'

/** Writes to stderr so stdout stays clean for data (JSON logs, CSV). */
export function note(message: string): void {
  process.stderr.write(`${message}\n`)
}

/** `assay runs show`: the command's names from the root down, for usage lines. */
export function commandPath(command: Command): string {
  const names: string[] = []
  for (let c: Command | null = command; c; c = c.parent) names.unshift(c.name())
  return names.join(' ')
}
