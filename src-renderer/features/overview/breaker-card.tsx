import type { BreakerInfo } from '../../../src-shared/overview'
import { formatTime } from '../../lib/format'
import { resetBreaker, useOverview } from '../../stores/overview-store'

const TEXT: Record<BreakerInfo['state'], { label: string; help: string }> = {
  closed: { label: 'Closed', help: 'Database calls go through normally.' },
  open: { label: 'Open', help: 'The database kept refusing connections; runs fail fast instead of waiting.' },
  half_open: { label: 'Half-open', help: 'The next call is a trial: success closes the circuit.' },
  isolated: { label: 'Isolated', help: 'Held open by hand.' },
}

/** The retry policy's circuit breaker for this console's database, with a reset. */
export function BreakerCard({ breaker }: { breaker: BreakerInfo }) {
  const busy = useOverview((s) => s.busy)
  const text = TEXT[breaker.state]
  return (
    <section className="panel" aria-labelledby="breaker-title" data-testid="breaker">
      <h2 id="breaker-title">Circuit breaker</h2>
      <p className={`breaker breaker-${breaker.state}`} data-state={breaker.state}>
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
