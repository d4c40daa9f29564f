import { z } from 'zod'
import { describeIssues, type Envelope, type ErrorInfo } from '../../src-shared/contract.js'
import { isConnectionLoss, sqlState } from '../engine/db/error-class.js'
import { AssayError, messageOf } from '../engine/errors.js'

/**
 * Turns anything a handler throws into the error half of an envelope: a stable code and a message a person
 * can act on. AssayErrors keep their own code; invalid input names the field; never a stack.
 */
export function toErrorInfo(error: unknown): ErrorInfo {
  if (error instanceof AssayError) return { code: error.code, message: error.message }
  if (error instanceof z.ZodError) return { code: 'invalid_input', message: describeIssues(error) }
  if (isConnectionLoss(error)) {
    return { code: 'db_unreachable', message: `lost the connection to the database: ${messageOf(error)}` }
  }
  const state = sqlState(error)
  if (state)
    return { code: 'db_error', message: `the database refused the request (${state}): ${messageOf(error)}` }
  return { code: 'internal', message: messageOf(error) || 'unexpected error' }
}

export function ok<T>(value: T): Envelope<T> {
  return { ok: true, value }
}

export function fail(error: unknown): Envelope<never> {
  return { ok: false, error: toErrorInfo(error) }
}
