import { create } from 'zustand'
import type { ResetReport, ResetScope } from '../../src-shared/pipeline'
import { messageOf } from '../api/client'
import { api } from '../api/instance'

interface ResetState {
  /** The scope being confirmed; null when no confirmation is open. */
  scope: ResetScope | null
  /** What the reset would clear (a dry-run), shown in the confirmation. */
  preview: ResetReport | null
  busy: boolean
  error: string | null
  /** The last reset done, for a confirmation message. */
  done: ResetReport | null
}

export const useReset = create<ResetState>()(() => ({
  scope: null,
  preview: null,
  busy: false,
  error: null,
  done: null,
}))

/** Opens the confirmation and asks the host what the reset would clear. */
export async function askReset(scope: ResetScope): Promise<void> {
  useReset.setState({ scope, preview: null, busy: true, error: null, done: null })
  try {
    const preview = await api().request('months:reset', { scope, dryRun: true })
    if (useReset.getState().scope === scope) useReset.setState({ preview })
  } catch (error) {
    useReset.setState({ error: messageOf(error) })
  } finally {
    useReset.setState({ busy: false })
  }
}

export async function confirmReset(): Promise<void> {
  const { scope } = useReset.getState()
  if (!scope) return
  useReset.setState({ busy: true, error: null })
  try {
    const done = await api().request('months:reset', { scope, dryRun: false })
    useReset.setState({ done, scope: null, preview: null })
  } catch (error) {
    useReset.setState({ error: messageOf(error) })
  } finally {
    useReset.setState({ busy: false })
  }
}

export function closeReset(): void {
  useReset.setState({ scope: null, preview: null, error: null })
}
