import { AssayError } from '../engine/errors.js'
import { faults, parseFaults } from '../engine/faults.js'
import { applyRetention, previewRetention } from '../engine/ops/retention.js'
import type { HandlerDeps, HandlerMap } from './handler-types.js'

type SettingsHandlers = Pick<
  HandlerMap,
  | 'settings:get'
  | 'settings:save'
  | 'settings:test'
  | 'settings:connect'
  | 'retention:preview'
  | 'retention:apply'
  | 'faults:set'
>

/** Settings, log retention, and (tests only) fault injection. */
export function settingsHandlers(deps: HandlerDeps): SettingsHandlers {
  const { connection, engine, jobs, settings, live } = deps
  const db = () => connection.db()
  return {
    'settings:get': async () => settings.view(),
    'settings:save': async (input) => settings.save(input),
    'settings:test': (input) => settings.test(input),
    'settings:connect': async (input) => {
      const view = await settings.connect(input.connection, input.rememberPassword)
      jobs.forget()
      return view
    },
    'retention:preview': (input) => previewRetention(db(), input.days),
    'retention:apply': async (input) => {
      const active = jobs.isRunning() ? [] : await engine.activeRuns(db())
      if (jobs.isRunning() || active.length > 0) {
        const where = active[0]
          ? ` (run ${active[0].runId.slice(0, 8)} on ${active[0].host ?? 'another host'})`
          : ''
        throw new AssayError(
          'run_active',
          `a run is active${where} — delete old records once it has finished`,
        )
      }
      const result = await applyRetention(db(), input.days)
      live.notify('pipeline_checkpoint')
      return result
    },
    'faults:set': async (input) => {
      if (process.env.ASSAY_ALLOW_FAULTS !== '1') {
        throw new AssayError(
          'forbidden',
          'fault injection is only available when the console runs with ASSAY_ALLOW_FAULTS=1 (end-to-end tests)',
        )
      }
      faults.set(parseFaults(input.spec))
      return { active: faults.active.map((f) => `${f.target}:${f.kind}:${f.n}`) }
    },
  }
}
