/** TEST SUPPORT ONLY — waiting on state instead of sleeping: one poll loop for unit, torture, bench and e2e. */

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

export interface PollOptions {
  /** Give up after this long (default 10 s). */
  timeoutMs?: number
  /** Between checks (default 10 ms). */
  intervalMs?: number
  /** Stop early, without the value, once this says there is no point waiting (e.g. the process exited). */
  until?: () => boolean
}

/** Polls `check` until it returns something truthy and returns that; undefined on timeout or `until`. */
export async function poll<T>(
  check: () => Promise<T | undefined | null | false> | T | undefined | null | false,
  options: PollOptions = {},
): Promise<T | undefined> {
  const deadline = Date.now() + (options.timeoutMs ?? 10_000)
  for (;;) {
    const value = await check()
    if (value) return value
    if (options.until?.() || Date.now() > deadline) return undefined
    await sleep(options.intervalMs ?? 10)
  }
}

/** Polls `check` until it returns something truthy and returns that; fails naming `what` after the timeout. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined | null | false> | T | undefined | null | false,
  options: PollOptions | number = {},
): Promise<T> {
  const value = await poll(check, typeof options === 'number' ? { timeoutMs: options } : options)
  if (!value) throw new Error(`timed out waiting for ${what}`)
  return value
}
