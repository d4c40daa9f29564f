import { describe, expect, it } from 'vitest'
import { Rng } from './rng.js'
import { hasStackTrace, runAssay, spawnAssay } from './runner.js'

describe('runner', () => {
  it('runs the CLI and collects its output and exit code', async () => {
    const result = await runAssay(['--help'])
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/Usage: assay/)
    expect(result.killed).toBe(false)
  })

  it('kill -9 stops a child at once and says so', async () => {
    const child = spawnAssay(['init'], {
      databaseUrl: 'postgres://nobody@127.0.0.1:1/none',
      measureRss: true,
    })
    child.kill9()
    const result = await child.done
    expect(result.signal).toBe('SIGKILL')
    expect(result.killed).toBe(true)
  })

  it('a watchdog reports a hang', async () => {
    const result = await runAssay(['--help'], { timeoutMs: 1 })
    expect(result.hung || result.code === 0).toBe(true)
  })

  it('recognises stack traces but not plain messages', () => {
    expect(hasStackTrace('error: boom\n    at main (/x/y.ts:1:2)\n')).toBe(true)
    expect(hasStackTrace('error: cannot reach PostgreSQL at 127.0.0.1:1: connection refused\n')).toBe(false)
  })

  it('replays the same random choices from the same seed and trial', () => {
    const a = Rng.forTrial(42, 3)
    const b = Rng.forTrial(42, 3)
    const c = Rng.forTrial(42, 4)
    const draw = (r: Rng) => Array.from({ length: 5 }, () => r.int(0, 1000))
    expect(draw(a)).toEqual(draw(b))
    expect(draw(Rng.forTrial(42, 3))).not.toEqual(draw(c))
  })
})
