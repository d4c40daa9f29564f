import { expect } from 'vitest'
import { AssayError } from '../engine/errors.js'

/** The AssayError a promise is refused with (the test fails if it resolves or fails otherwise). */
export async function refusal(promise: Promise<unknown>): Promise<AssayError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(AssayError)
  return error as AssayError
}
