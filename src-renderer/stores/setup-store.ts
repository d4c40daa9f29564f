import { create } from 'zustand'
import type { SetupProgress, SetupStatus } from '../../src-shared/contract'
import { messageOf } from '../api/client'
import { api } from '../api/instance'

type Step = SetupProgress['step']

interface SetupState {
  status: SetupStatus | null
  busy: 'init' | 'demo' | null
  progress: Partial<Record<Step, SetupProgress>>
  error: string | null
}

export const useSetup = create<SetupState>()(() => ({ status: null, busy: null, progress: {}, error: null }))

export async function loadSetupStatus(): Promise<void> {
  try {
    useSetup.setState({ status: await api().request('status:get') })
  } catch (error) {
    useSetup.setState({ error: messageOf(error) })
  }
}

export function applySetupProgress(progress: SetupProgress): void {
  useSetup.setState((s) => ({ progress: { ...s.progress, [progress.step]: progress } }))
}

async function runStep(busy: 'init' | 'demo', fn: () => Promise<unknown>): Promise<void> {
  useSetup.setState({ busy, error: null })
  try {
    await fn()
  } catch (error) {
    useSetup.setState({ error: messageOf(error) })
  } finally {
    useSetup.setState({ busy: null })
    await loadSetupStatus()
  }
}

export function createSchemas(): Promise<void> {
  return runStep('init', () => api().request('setup:init'))
}

export function loadDemoData(): Promise<void> {
  return runStep('demo', () => api().request('setup:demo', {}))
}

/** The first-run panel shows until the database has silver data to process. */
export function selectNeedsSetup(s: SetupState): boolean {
  return s.status !== null && ['init', 'demo', 'silver'].includes(s.status.next)
}
