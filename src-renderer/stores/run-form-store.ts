import { create } from 'zustand'
import { EMPTY_RUN_FORM, type FieldName, type RunForm, toRunOptions } from '../features/run/run-form-model'
import { dropDryRun, planRun, startRun } from './runs-store'

interface RunFormState {
  form: RunForm
  invalid: { field: FieldName; message: string } | null
}

/** The Run form's values and its validation message; submitting validates before anything is sent. */
export const useRunForm = create<RunFormState>()(() => ({ form: EMPTY_RUN_FORM, invalid: null }))

export function editRunForm(patch: Partial<RunForm>): void {
  useRunForm.setState((s) => ({ form: { ...s.form, ...patch }, invalid: null }))
  dropDryRun()
}

export async function submitRunForm(mode: 'dry-run' | 'run'): Promise<void> {
  const checked = toRunOptions(useRunForm.getState().form)
  if (!checked.ok) {
    useRunForm.setState({ invalid: { field: checked.field, message: checked.message } })
    return
  }
  if (mode === 'dry-run') await planRun(checked.value)
  else await startRun(checked.value)
}
