/**
 * An expected failure with a message meant for a person: the CLI prints it without a stack,
 * the console shows it inline. `code` is stable for programs; `exitCode` follows the CLI convention
 * (1 = the operation failed, 2 = bad usage).
 */
export class AssayError extends Error {
  readonly code: string
  readonly exitCode: number
  readonly details?: Record<string, unknown>

  constructor(
    code: string,
    message: string,
    options: { exitCode?: number; cause?: unknown; details?: Record<string, unknown> } = {},
  ) {
    super(message, { cause: options.cause })
    this.name = 'AssayError'
    this.code = code
    this.exitCode = options.exitCode ?? 1
    this.details = options.details
  }
}

/** A usage error: wrong flags or values. Exit code 2. */
export class UsageError extends AssayError {
  constructor(message: string) {
    super('usage', message, { exitCode: 2 })
    this.name = 'UsageError'
  }
}

/** Raised when an AbortSignal stops work. Exit code 130, as after SIGINT. */
export class CancelledError extends AssayError {
  constructor(message = 'cancelled') {
    super('cancelled', message, { exitCode: 130 })
    this.name = 'CancelledError'
  }
}

/** The message of anything thrown. */
export function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message
  return String(error)
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted)
    throw new CancelledError(typeof signal.reason === 'string' ? signal.reason : 'cancelled')
}
