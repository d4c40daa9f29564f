import type { BreakerInfo } from '../../../src-shared/overview'
import { formatTime } from '../../lib/format'
import { selectProblem, useConnection } from '../../stores/connection-store'
import { resetBreaker, useOverview } from '../../stores/overview-store'

const TEXT: Record<BreakerInfo['state'], { label: string; help: string }> = {
  closed: { label: 'Closed', help: 'Database calls go through normally.' },
  open: { label: 'Open', help: 'The database kept refusing connections; runs fail fast instead of waiting.' },
  half_open: { label: 'Half-open', help: 'The next call is a trial: success closes the circuit.' },
  isolated: { label: 'Isolated', help: 'Held open by hand.' },
}

/** What the card says: a "closed" read before the database went away is not "calls go through normally". */
export function breakerView(state: BreakerInfo['state'], unreachable: boolean) {
  if (unreachable && state === 'closed') {
    const help =
      'The database is unreachable: calls fail until it answers (the circuit opens if it keeps refusing).'
    return { shown: 'unknown', text: { label: 'Unknown', help } }
  }
  return { shown: state, text: TEXT[state] }
}

/** The retry policy's circuit breaker for this console's database, with a reset. */
export function BreakerCard({ breaker }: { breaker: BreakerInfo }) {
  const busy = useOverview((s) => s.busy)
  // The card's state is from the last Overview read: with the database gone it cannot be "normal".
  const { shown, text } = breakerView(breaker.state, useConnection(selectProblem) !== null)
  return (
    <section className="panel" aria-labelledby="breaker-title" data-testid="breaker">
      <h2 id="breaker-title">Circuit breaker</h2>
      <p className={`breaker breaker-${shown}`} data-state={shown}>
        <span className="dot" aria-hidden="true" /> {text.label}
      </p>
      <p className="muted">
        {text.help}
        {breaker.retryAt ? ` Next trial at ${formatTime(breaker.retryAt)}.` : ''}
      </p>
      <button
        type="button"
        className="button button-small"
        disabled={busy !== null || breaker.state === 'closed'}
        title={breaker.state === 'closed' ? 'The circuit is closed already' : undefined}
        onClick={() => void resetBreaker()}
      >
        {busy === 'breaker' ? 'Resetting…' : 'Reset circuit'}
      </button>
    </section>
  )
}
