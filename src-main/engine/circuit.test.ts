import { afterEach, describe, expect, it, vi } from 'vitest'
import { DEFAULT_RETRY } from '../../src-shared/pipeline.js'
import { breakerState, CIRCUIT_OPEN_MS, Circuit, resetBreaker } from './circuit.js'
import { AssayError, CancelledError } from './errors.js'
import { withRetry } from './retry.js'

const lost = () => Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' })
const permanent = () => Object.assign(new Error('relation does not exist'), { code: '42P01' })
const fast = { ...DEFAULT_RETRY, baseDelayMs: 1, maxDelayMs: 1 }

/** The rule in circuit.ts, exactly: the 5th consecutive lost-connection attempt opens it for 15 s. */
describe('circuit breaker rule', () => {
  const db = { label: 'postgres test-circuit:5432/rule' }
  afterEach(() => resetBreaker(db))

  it('with the default 4 attempts, a unit that loses its connection 4 times leaves it closed; the next unit opens it on its first failure', async () => {
    const first = vi.fn(async () => {
      throw lost()
    })
    await expect(withRetry(db, first, fast)).rejects.toMatchObject({ code: 'ECONNRESET' })
    expect(first).toHaveBeenCalledTimes(4)
    expect(breakerState(db).state).toBe('closed')

    // Another unit, or another run of this process on the same server (a new Db object, same label).
    const sameServer = { label: db.label }
    const second = vi.fn(async () => {
      throw lost()
    })
    const before = Date.now()
    const error = await withRetry(sameServer, second, fast).catch((e: unknown) => e)
    expect(second).toHaveBeenCalledTimes(1)
    expect(error).toBeInstanceOf(AssayError)
    expect((error as AssayError).code).toBe('circuit_open')
    const state = breakerState(db)
    expect(state.state).toBe('open')
    const retryAt = Date.parse(state.retryAt ?? '')
    expect(retryAt).toBeGreaterThanOrEqual(before + CIRCUIT_OPEN_MS)
    expect(retryAt).toBeLessThanOrEqual(Date.now() + CIRCUIT_OPEN_MS)
    expect((error as AssayError).message).toBe(
      `circuit open: the database kept refusing connections; not trying again until ${state.retryAt}`,
    )

    // While open, work fails at once without an attempt.
    const third = vi.fn(async () => 'ok')
    await expect(withRetry(db, third, fast)).rejects.toMatchObject({ code: 'circuit_open' })
    expect(third).not.toHaveBeenCalled()
    // Another server is not affected.
    await expect(withRetry({ label: 'postgres elsewhere:5432/x' }, third, fast)).resolves.toBe('ok')
  })

  it('an attempt that reaches the server resets the count; serialization failures and cancellations do not count', async () => {
    const circuit = new Circuit()
    for (let i = 0; i < 4; i++) circuit.settle(lost())
    circuit.settle(permanent())
    for (let i = 0; i < 4; i++) circuit.settle(lost())
    circuit.settle(Object.assign(new Error('could not serialize'), { code: '40001' }))
    for (let i = 0; i < 4; i++) circuit.settle(lost())
    circuit.settle(new CancelledError())
    expect(circuit.state().state).toBe('closed')
    circuit.settle(lost())
    expect(circuit.state().state).toBe('open')
  })

  it('after 15 s one attempt goes through: a lost connection reopens it for 15 s, anything else closes it', () => {
    let now = 1_000_000
    const circuit = new Circuit(5, CIRCUIT_OPEN_MS, () => now)
    for (let i = 0; i < 5; i++) circuit.settle(lost())
    expect(circuit.state()).toEqual({ state: 'open', retryAt: new Date(now + 15_000).toISOString() })
    now += 14_999
    expect(() => circuit.enter()).toThrow(/^circuit open/)
    now += 1
    expect(circuit.state().state).toBe('half_open')
    expect(() => circuit.enter()).not.toThrow()
    circuit.settle(lost())
    expect(circuit.state()).toEqual({ state: 'open', retryAt: new Date(now + 15_000).toISOString() })
    now += 15_000
    circuit.enter()
    circuit.settle()
    expect(circuit.state()).toEqual({ state: 'closed', retryAt: null })
  })
})
