import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { commands } from './commands/index.js'
import { buildProgram, main, requestedCommand } from './main.js'

describe('the command registry', () => {
  it('finds the command argv names, past global options and `help`', () => {
    expect(requestedCommand(['status'])?.name).toBe('status')
    expect(requestedCommand(['--env-file', 'status', 'monthly', '--year', '2011'])?.name).toBe('monthly')
    expect(requestedCommand(['help', 'serve'])?.name).toBe('serve')
    expect(requestedCommand(['--help'])).toBeUndefined()
    expect(requestedCommand(['nope'])).toBeUndefined()
  })

  it('lists every command, but defines only the one asked for', async () => {
    const program = await buildProgram(['monthly', '--dry-run'])
    expect(program.commands.map((c) => c.name())).toEqual(commands.map((c) => c.name))
    const options = (name: string) => program.commands.find((c) => c.name() === name)?.options.length
    expect(options('monthly')).toBeGreaterThan(3)
    expect(options('status')).toBe(0)
  })

  it.each(commands.map((c) => [c.name]))('loads %s with options of its own', async (name) => {
    const program = await buildProgram([name])
    const command = program.commands.find((c) => c.name() === name)
    expect(command?.options.map((o) => o.long)).toContain(name === 'serve' ? '--port' : '--database-url')
  })
})

describe('--env-file', () => {
  const dirs: string[] = []
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
    delete process.env.ASSAY_ENV_FILE
    process.exitCode = undefined
    vi.restoreAllMocks()
  })

  it('is bad usage (exit 2) when the file does not exist, before any database is opened', async () => {
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true)
    await main(['node', 'assay', '--env-file', '/no/such/assay.env', 'status'])
    expect(process.exitCode).toBe(2)
    expect(stderr.mock.calls.join('')).toMatch(/--env-file: no such file: \/no\/such\/assay\.env/)
    expect(stderr.mock.calls.join('')).not.toMatch(/using/)
  })

  it('names the settings file the command reads', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'assay-env-'))
    dirs.push(dir)
    writeFileSync(join(dir, 'course.env'), 'DATABASE_URL=postgres://u@db.invalid:5999/x\n')
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true)
    // status against an unresolvable host fails, after saying which database the file chose.
    await main(['node', 'assay', 'status', '--env-file', join(dir, 'course.env')])
    expect(stderr.mock.calls.join('')).toMatch(/using postgres u@db\.invalid:5999\/x/)
    expect(process.exitCode).toBe(1)
  })
})
