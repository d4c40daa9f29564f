import { describe, expect, it } from 'vitest'
import { AssayError } from '../errors.js'
import { classifyError, isConnectionLoss, sqlState } from './error-class.js'

/** An error as node-postgres raises it: a message and a SQLSTATE or network code. */
function dbError(code: string, message = `failure ${code}`): Error {
  return Object.assign(new Error(message), { code })
}

describe('classifyError', () => {
  it.each([
    ['08000', 'connection failure (08000)'],
    ['08001', 'connection failure (08001)'],
    ['08003', 'connection failure (08003)'],
    ['08006', 'connection failure (08006)'],
    ['08P01', 'connection failure (08P01)'],
    ['57P01', 'admin shutdown (57P01)'],
    ['57P02', 'crash shutdown (57P02)'],
    ['57P03', 'cannot connect now (57P03)'],
    ['53300', 'too many connections (53300)'],
    ['ECONNREFUSED', 'network error (ECONNREFUSED)'],
    ['ECONNRESET', 'network error (ECONNRESET)'],
    ['EPIPE', 'network error (EPIPE)'],
    ['ETIMEDOUT', 'network error (ETIMEDOUT)'],
  ])('%s: connection lost', (code, kind) => {
    expect(classifyError(dbError(code))).toEqual({ class: 'connection-lost', transient: true, code, kind })
    expect(isConnectionLoss(dbError(code))).toBe(true)
  })

  it.each([
    ['40001', 'serialization failure (40001)'],
    ['40P01', 'deadlock detected (40P01)'],
    ['55P03', 'lock not available (55P03)'],
  ])('%s: transient, the connection is kept', (code, kind) => {
    expect(classifyError(dbError(code))).toEqual({ class: 'transient', transient: true, code, kind })
    expect(isConnectionLoss(dbError(code))).toBe(false)
  })

  it.each([
    ['55000', 'object not in prerequisite state'],
    ['42601', 'syntax error'],
    ['42P01', 'undefined table'],
    ['23505', 'unique violation'],
    ['22003', 'numeric value out of range'],
    ['28P01', 'password authentication failed'],
    ['53100', 'disk full'],
    ['57014', 'query cancelled'],
  ])('%s (%s): permanent', (code) => {
    expect(classifyError(dbError(code))).toEqual({
      class: 'permanent',
      transient: false,
      code,
      kind: `database error (${code})`,
    })
  })

  it('EPIPE is a Node code, not a SQLSTATE (five capitals once made it a permanent database error)', () => {
    expect(sqlState(dbError('EPIPE'))).toBeUndefined()
    expect(sqlState(dbError('ECONNRESET'))).toBeUndefined()
    expect(sqlState(dbError('57P01'))).toBe('57P01')
    expect(sqlState(dbError('XX000'))).toBe('XX000')
  })

  it('looks through wrappers (AssayError, Error cause) to the driver error', () => {
    const wrapped = new AssayError('db_unreachable', 'cannot reach PostgreSQL', {
      cause: dbError('ECONNREFUSED'),
    })
    expect(classifyError(wrapped)).toMatchObject({ class: 'connection-lost', code: 'ECONNREFUSED' })
    const nested = new Error('stage failed', { cause: dbError('40001') })
    expect(classifyError(nested)).toMatchObject({ class: 'transient', code: '40001' })
    expect(sqlState(nested)).toBe('40001')
  })

  it("node-postgres' uncoded connection errors are losses; a plain error is permanent", () => {
    for (const message of ['Connection terminated unexpectedly', 'Query read timeout'])
      expect(classifyError(new Error(message))).toMatchObject({
        class: 'connection-lost',
        kind: 'connection lost',
      })
    expect(classifyError(new Error('boom'))).toEqual({
      class: 'permanent',
      transient: false,
      code: null,
      kind: 'error',
    })
    expect(classifyError('not an error')).toMatchObject({ class: 'permanent' })
  })
})
