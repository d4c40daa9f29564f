import { useEffect } from 'react'
import { InlineError } from '../../components/feedback'
import { loadOverview, useOverview } from '../../stores/overview-store'
import { BreakerCard } from './breaker-card'
import { HealthCards } from './health-cards'
import { LayersPanel } from './layers-panel'
import { RevenuePanel } from './revenue-panel'
import { StageChart } from './stage-chart'

/** Overview: can the numbers be trusted? Prerequisites, pipeline health, revenue reconciled, the breaker. */
export function OverviewView() {
  const overview = useOverview((s) => s.overview)
  const error = useOverview((s) => s.error)
  useEffect(() => {
    void loadOverview()
  }, [])
  return (
    <section className="view overview-view" data-state={overview ? 'ready' : 'loading'} aria-label="Overview">
      <InlineError message={error} />
      {overview ? (
        <>
          <div className="overview-top">
            <LayersPanel overview={overview} />
            <BreakerCard breaker={overview.breaker} />
          </div>
          <div className="overview-charts">
            <RevenuePanel months={overview.months} missing={overview.monthsMissingInGold} />
            <StageChart runs={overview.stageRuns} />
          </div>
          <HealthCards overview={overview} />
        </>
      ) : null}
    </section>
  )
}
