import { closeSync, existsSync, openSync, readdirSync, readFileSync, rmSync, writeSync } from 'node:fs'
import { hostname } from 'node:os'
import { join } from 'node:path'
import { AssayError } from '../errors.js'
import { makePrivateDir, PRIVATE_FILE_MODE } from '../private-files.js'

export interface LockHolder {
  pid: number
  host: string
  command: string
  since: string
}

export interface DirLock {
  readonly path: string
  release(): void
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

function readHolder(path: string): LockHolder | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as LockHolder
  } catch {
    return undefined
  }
}

/**
 * Claims a data directory for this process with an exclusive-create lock file that names the holder.
 * PGlite has no multi-process safety of its own: two processes writing one directory corrupt it, so a second
 * opener gets an error naming the holder instead. A lock left by a dead process on this host is taken over.
 */
export function lockDataDir(dataDir: string, command = process.argv.slice(1).join(' ')): DirLock {
  if (!makePrivateDir(dataDir, 'embedded database folder')) refuseForeignFolder(dataDir)
  const path = join(dataDir, 'assay.lock')
  const me: LockHolder = { pid: process.pid, host: hostname(), command, since: new Date().toISOString() }
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx', PRIVATE_FILE_MODE)
      writeSync(fd, JSON.stringify(me))
      closeSync(fd)
      let released = false
      return {
        path,
        release() {
          if (released) return
          released = true
          if (readHolder(path)?.pid === process.pid) rmSync(path, { force: true })
        },
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      const holder = readHolder(path)
      const stale = holder && holder.host === me.host && !isAlive(holder.pid)
      if (stale || !holder) {
        rmSync(path, { force: true })
        continue
      }
      throw new AssayError(
        'db_locked',
        `the embedded database at ${dataDir} is in use by another Assay process (pid ${holder.pid} on ${holder.host}, "${holder.command}", since ${holder.since}). ` +
          'Close it first, or point this command at another --data-dir.',
        { details: { holder } },
      )
    }
  }
  throw new AssayError('db_locked', `could not lock the embedded database at ${dataDir}`)
}

/**
 * An existing folder must be empty or an embedded database already: PGlite would otherwise initialise a database
 * among someone else's files, and Assay would make them all private (a previous version chmod'ed /tmp this way).
 */
function refuseForeignFolder(dataDir: string): void {
  const names = readdirSync(dataDir)
  if (names.length === 0 || existsSync(join(dataDir, 'PG_VERSION')) || names.includes('assay.lock')) return
  throw new AssayError(
    'db_open',
    `${dataDir} holds other files and is not an embedded database; choose a new or empty folder for --data-dir`,
    { exitCode: 2 },
  )
}
