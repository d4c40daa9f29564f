import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { assayCli } from '../../test-support/built-cli.js'
import { lockDataDir } from './dir-lock.js'

describe('lockDataDir', () => {
  it('refuses a second holder and names the first', () => {
    const dir = mkdtempSync(join(tmpdir(), 'assay-lock-'))
    const first = lockDataDir(dir, 'assay serve')
    try {
      // Same process, so simulate another holder by rewriting the pid to a live foreign process: our parent.
      const path = join(dir, 'assay.lock')
      const holder = JSON.parse(readFileSync(path, 'utf8'))
      writeFileSync(path, JSON.stringify({ ...holder, pid: process.ppid }))
      expect(() => lockDataDir(dir, 'assay monthly')).toThrow(
        new RegExp(`in use by another Assay process \\(pid ${process.ppid} .*"assay serve"`),
      )
    } finally {
      first.release()
    }
  })

  it('takes over a lock left by a dead process', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'assay-lock-'))
    const child = spawn(process.execPath, ['-e', ''])
    const deadPid = child.pid!
    await new Promise((resolve) => child.on('exit', resolve))
    writeFileSync(
      join(dir, 'assay.lock'),
      JSON.stringify({ pid: deadPid, host: (await import('node:os')).hostname(), command: 'x', since: '' }),
    )
    const lock = lockDataDir(dir)
    expect(JSON.parse(readFileSync(join(dir, 'assay.lock'), 'utf8')).pid).toBe(process.pid)
    lock.release()
    expect(existsSync(join(dir, 'assay.lock'))).toBe(false)
  })

  it('makes a second CLI process fail with a clear error while the first holds the embedded database', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'assay-lock-'))
    const holder = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        '-e',
        `import('${join(process.cwd(), 'src-main/engine/db/dir-lock.ts')}').then(m => { m.lockDataDir(${JSON.stringify(dir)}, 'holder-test'); console.log('locked'); setTimeout(() => {}, 20000) })`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    )
    try {
      await new Promise<void>((resolve) =>
        holder.stdout.on('data', (d) => String(d).includes('locked') && resolve()),
      )
      const second = spawn(process.execPath, [assayCli(), 'init', '--data-dir', dir], {
        stdio: ['ignore', 'pipe', 'pipe'],
      })
      let stderr = ''
      second.stderr.on('data', (d) => {
        stderr += d
      })
      const code = await new Promise((resolve) => second.on('exit', resolve))
      expect(code).toBe(1)
      expect(stderr).toContain(`in use by another Assay process (pid ${holder.pid}`)
      expect(stderr).toContain('holder-test')
      expect(stderr).not.toMatch(/\n\s+at /)
    } finally {
      holder.kill('SIGKILL')
    }
  })
})
