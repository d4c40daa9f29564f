/**
 * Files Assay writes are the owner's alone (0700 folders, 0600 files): the embedded database, settings, logs and
 * exports hold business data and connection details that other local users must neither read nor alter.
 * Modes are only ever changed on paths Assay created or owns (a database folder, its own log files); a folder the
 * user merely pointed at, such as /tmp, is never touched.
 */
import { chmodSync, existsSync, lstatSync, mkdirSync, readdirSync, statSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { AssayError } from './errors.js'

export const PRIVATE_DIR_MODE = 0o700
export const PRIVATE_FILE_MODE = 0o600

/** Windows has no POSIX modes; its per-user profile folders are already private. */
const POSIX = process.platform !== 'win32'

/**
 * Creates `dir` and any missing parents with mode 0700, one level at a time. Node's recursive mkdir loops for ever
 * on some paths (e.g. under /proc), so the walk is done here and fails with a message naming the folder.
 * Returns true when `dir` itself was created.
 */
export function makePrivateDir(dir: string, what = 'folder'): boolean {
  const target = resolve(dir)
  const missing: string[] = []
  for (let at = target; !existsSync(at); at = dirname(at)) {
    missing.unshift(at)
    if (dirname(at) === at) break
  }
  for (const path of missing) {
    try {
      mkdirSync(path, { mode: PRIVATE_DIR_MODE })
      if (POSIX) chmodSync(path, PRIVATE_DIR_MODE) // mkdir's mode is masked by the umask
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      if (code === 'EEXIST') continue
      throw new AssayError(
        'dir_create',
        `cannot create the ${what} ${target}: ${reason(code, path, error)}`,
        // The path given cannot hold a folder: a bad value, as a usage error is.
        { cause: error, exitCode: 2 },
      )
    }
  }
  if (!statSync(target).isDirectory()) {
    throw new AssayError('dir_create', `the ${what} ${target} exists but is not a folder`, { exitCode: 2 })
  }
  return missing.includes(target)
}

function reason(code: string | undefined, path: string, error: unknown): string {
  if (code === 'EACCES' || code === 'EPERM') return `permission denied at ${path}`
  if (code === 'ENOENT') return `${dirname(path)} cannot hold folders`
  if (code === 'EROFS') return `${path} is on a read-only file system`
  if (code === 'ENOTDIR') return `${dirname(path)} is not a folder`
  return error instanceof Error ? error.message : String(error)
}

/**
 * Sets 0700 on `dir` and every folder below it and 0600 on every file (symbolic links are not followed).
 * Returns how many modes were changed. Only for trees Assay owns.
 */
export function privatiseTree(dir: string): number {
  if (!POSIX) return 0
  let changed = 0
  const visit = (path: string): void => {
    const info = lstatSync(path)
    if (info.isSymbolicLink()) return
    const want = info.isDirectory() ? PRIVATE_DIR_MODE : PRIVATE_FILE_MODE
    if ((info.mode & 0o777) !== want) {
      chmodSync(path, want)
      changed++
    }
    if (info.isDirectory()) for (const name of readdirSync(path)) visit(join(path, name))
  }
  visit(dir)
  return changed
}

/** Sets 0600 on a file Assay has just written (a mode given at creation does not apply to an existing file). */
export function privatiseFile(path: string): void {
  if (POSIX) chmodSync(path, PRIVATE_FILE_MODE)
}

/** Makes everything this process creates private by default (entry points only: workers cannot set the umask). */
export function privateUmask(): void {
  if (POSIX) process.umask(0o077)
}
