import type { RunScope } from '../run/run-lifecycle.js'
import type { RunnerSession } from '../run/runner-session.js'

/** Everything one monthly run's months share: the run's scope, and the session months are claimed on. */
export interface RunContext extends RunScope {
  runner: RunnerSession
  force: boolean
  host: string
}
