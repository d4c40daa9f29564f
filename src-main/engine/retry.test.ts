import { afterEach, describe, expect, it, vi } from 'vitest'
import { DEFAULT_RETRY, type RetrySettings } from '../../src-shared/pipeline.js'
import { AssayError, CancelledError } from './errors.js'

/** An error as node-postgres raises it: a message and a SQLSTATE or network code. */
function dbError(code: string, message = `failure ${code}`): Error {
  return Object.assign(new Error(message), { code })
}

import { backoffDelay, breakerState, type RetryInfo, resetBreaker, withRetry } from './retry.js'

describe('backoffDelay', () => {
  it('follows the seed: 1 s, 2 s, 4 s plus at most 25% jitter', () => {
    expect([1, 2, 3].map((n) => backoffDelay(n, DEFAULT_RETRY, () => 0))).toEqual([1000, 2000, 4000])
    expect([1, 2, 3].map((n) => backoffDelay(n, DEFAULT_RETRY, () => 0.999999))).toEqual([1250, 2500, 5000])
    for (let n = 1; n <= 3; n++) {
      const d = backoffDelay(n, DEFAULT_RETRY)
      expect(d).toBeGreaterThanOrEqual(1000 * 2 ** (n - 1))
      expect(d).toBeLessThanOrEqual(1250 * 2 ** (n - 1))
    }
  })

  it('never exceeds the cap, jitter included', () => {
    const capped: RetrySettings = { maxAttempts: 20, baseDelayMs: 1000, maxDelayMs: 3000 }
    expect(backoffDelay(2, capped, () => 0.99)).toBe(2495)
    expect(backoffDelay(3, capped, () => 0)).toBe(3000)
    expect(backoffDelay(3, capped, () => 0.99)).toBe(3000)
    expect(backoffDelay(19, capped, () => 0.99)).toBe(3000)
  })
})

describe('withRetry', () => {
  afterEach(() => {
    vi.useRealTimers()
  })

  it('runs the default schedule (1 s, 2 s, 4 s + jitter) and gives up after attempt 4 with the last error', async () => {
    vi.useFakeTimers()
    const db = {}
    const retries: RetryInfo[] = []
    const fn = vi.fn(async (attempt: number) => {
      throw dbError('40001', `serialization failure on attempt ${attempt}`)
    })
    const outcome = withRetry(db, fn, DEFAULT_RETRY, { onRetry: (info) => retries.push(info) }).catch(
      (e) => e,
    )
    await vi.advanceTimersByTimeAsync(60_000)
    const error = await outcome
    expect(error).toBeInstanceOf(Error)
    expect((error as Error).message).toBe('serialization failure on attempt 4')
    expect(fn.mock.calls.map((c) => c[0])).toEqual([1, 2, 3, 4])
    expect(retries.map((r) => [r.attempt, r.maxAttempts, r.classification.code])).toEqual([
      [1, 4, '40001'],
      [2, 4, '40001'],
      [3, 4, '40001'],
    ])
    retries.forEach((r, i) => {
      expect(r.delayMs).toBeGreaterThanOrEqual(1000 * 2 ** i)
      expect(r.delayMs).toBeLessThanOrEqual(1250 * 2 ** i)
    })
  })

  it('waits the announced delay before the next attempt', async () => {
    vi.useFakeTimers()
    const fn = vi.fn(async () => {
      if (fn.mock.calls.length < 2) throw dbError('40P01')
      return 'ok'
    })
    let delay = 0
    const result = withRetry({}, fn, DEFAULT_RETRY, { onRetry: (info) => (delay = info.delayMs) })
    await vi.advanceTimersByTimeAsync(0)
    expect(fn).toHaveBeenCalledTimes(1)
    await vi.advanceTimersByTimeAsync(delay - 1)
    expect(fn).toHaveBeenCalledTimes(1)
    await vi.advanceTimersByTimeAsync(1)
    expect(fn).toHaveBeenCalledTimes(2)
    await expect(result).resolves.toBe('ok')
  })

  it('stops at maxAttempts', async () => {
    const fn = vi.fn(async () => {
      throw dbError('53300')
    })
    await expect(withRetry({}, fn, { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1 })).rejects.toMatchObject({
      code: '53300',
    })
    expect(fn).toHaveBeenCalledTimes(2)
    const once = vi.fn(async () => {
      throw dbError('40001')
    })
    await expect(withRetry({}, once, { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 })).rejects.toThrow()
    expect(once).toHaveBeenCalledTimes(1)
  })

  it.each(['42601', '42P01', '23505', '28P01', '22012'])(
    'does not retry a permanent failure (%s)',
    async (code) => {
      const onRetry = vi.fn()
      const fn = vi.fn(async () => {
        throw dbError(code)
      })
      await expect(withRetry({}, fn, DEFAULT_RETRY, { onRetry })).rejects.toMatchObject({ code })
      expect(fn).toHaveBeenCalledTimes(1)
      expect(onRetry).not.toHaveBeenCalled()
    },
  )

  it('returns the value of the attempt that succeeds', async () => {
    const fn = vi.fn(async (attempt: number) => {
      if (attempt < 3) throw dbError('ECONNRESET')
      return attempt
    })
    await expect(withRetry({}, fn, { maxAttempts: 4, baseDelayMs: 1, maxDelayMs: 5 })).resolves.toBe(3)
  })

  it('opens the circuit after consecutive connection failures and says when it will try again', async () => {
    const db = {}
    const fast: RetrySettings = { maxAttempts: 10, baseDelayMs: 1, maxDelayMs: 1 }
    const fn = vi.fn(async () => {
      throw dbError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432')
    })
    const before = Date.now()
    const error = await withRetry(db, fn, fast).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(AssayError)
    expect((error as AssayError).code).toBe('circuit_open')
    const match = /^circuit open: .* until (\S+)$/.exec((error as AssayError).message)
    expect(match).not.toBeNull()
    const until = Date.parse(match?.[1] ?? '')
    expect(until).toBeGreaterThanOrEqual(before + 15_000)
    expect(until).toBeLessThanOrEqual(Date.now() + 15_000)
    // Five failures open it; the sixth attempt is refused without touching the database.
    expect(fn).toHaveBeenCalledTimes(5)
    expect(breakerState(db)).toEqual({ state: 'open', retryAt: match?.[1] })

    // Later calls fail fast while it is open.
    const next = vi.fn(async () => 'ok')
    await expect(withRetry(db, next, fast)).rejects.toThrow(/^circuit open/)
    expect(next).not.toHaveBeenCalled()

    resetBreaker(db)
    await expect(withRetry(db, next, fast)).resolves.toBe('ok')
    expect(breakerState(db).state).toBe('closed')
  })

  it('does not count serialization failures or deadlocks towards the circuit', async () => {
    const db = {}
    const fn = vi.fn(async () => {
      throw dbError('40001')
    })
    await expect(withRetry(db, fn, { maxAttempts: 8, baseDelayMs: 1, maxDelayMs: 1 })).rejects.toMatchObject({
      code: '40001',
    })
    expect(fn).toHaveBeenCalledTimes(8)
    expect(breakerState(db).state).toBe('closed')
  })

  it('throws CancelledError when aborted before it starts, without calling fn', async () => {
    const controller = new AbortController()
    controller.abort()
    const fn = vi.fn(async () => 'ok')
    await expect(withRetry({}, fn, DEFAULT_RETRY, { signal: controller.signal })).rejects.toBeInstanceOf(
      CancelledError,
    )
    expect(fn).not.toHaveBeenCalled()
  })

  it('throws CancelledError at once when aborted during a backoff wait, and makes no further attempt', async () => {
    const controller = new AbortController()
    const fn = vi.fn(async () => {
      throw dbError('40001')
    })
    const settings: RetrySettings = { maxAttempts: 4, baseDelayMs: 10_000, maxDelayMs: 30_000 }
    const result = withRetry({}, fn, settings, {
      signal: controller.signal,
      onRetry: () => setTimeout(() => controller.abort(), 20),
    })
    const t0 = Date.now()
    await expect(result).rejects.toBeInstanceOf(CancelledError)
    expect(Date.now() - t0).toBeLessThan(1000)
    expect(fn).toHaveBeenCalledTimes(1)
  })

  it('lets an attempt in flight finish when aborted, then reports the cancellation', async () => {
    const controller = new AbortController()
    let finished = false
    const fn = vi.fn(async () => {
      controller.abort()
      await new Promise((r) => setTimeout(r, 50))
      finished = true
      throw dbError('57014', 'canceling statement due to user request')
    })
    await expect(withRetry({}, fn, DEFAULT_RETRY, { signal: controller.signal })).rejects.toBeInstanceOf(
      CancelledError,
    )
    expect(finished).toBe(true)
    expect(fn).toHaveBeenCalledTimes(1)
  })
})
