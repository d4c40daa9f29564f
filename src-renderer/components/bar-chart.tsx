import type { ReactNode } from 'react'

/** A small hand-written SVG bar chart: one or more series per group, a labelled value axis, a title per bar. */

export interface ChartGroup {
  key: string
  /** The x-axis label. */
  label: string
  /** One value per series (null: nothing to draw). */
  values: (number | null)[]
  /** Extra class per group, e.g. to mark a problem. */
  className?: string
  /** Makes the group's bars a link (e.g. "explain this number"), named by `linkLabel`. */
  href?: string
  linkLabel?: string
}

const H = 240
const M = { top: 14, right: 12, bottom: 34, left: 64 }

/** 1, 2 or 5 times a power of ten, at least `raw`: axis steps people read at a glance. */
export function niceStep(raw: number): number {
  if (!(raw > 0)) return 1
  const power = 10 ** Math.floor(Math.log10(raw))
  const unit = raw / power
  return (unit <= 1 ? 1 : unit <= 2 ? 2 : unit <= 5 ? 5 : 10) * power
}

function BarLink({ href, label, children }: { href?: string; label?: string; children: ReactNode }) {
  if (!href) return <>{children}</>
  return (
    <a className="chart-link" href={href} aria-label={label}>
      {children}
    </a>
  )
}

export function BarChart({
  label,
  series,
  groups,
  format,
  axisLabel,
  width = 720,
}: {
  /** What the chart shows, for assistive technology. */
  label: string
  series: string[]
  groups: ChartGroup[]
  /** Formats a value for the axis and the bar titles. */
  format: (value: number) => string
  axisLabel: string
  /** The drawing's width in SVG units: the narrower, the larger the text once it fills its box. */
  width?: number
}) {
  const W = width
  const max = Math.max(0, ...groups.flatMap((g) => g.values.map((v) => v ?? 0)))
  const step = niceStep(max / 4)
  const top = Math.max(step, Math.ceil(max / step) * step)
  const ticks = Array.from({ length: Math.round(top / step) + 1 }, (_, i) => i * step)
  const plotW = W - M.left - M.right
  const plotH = H - M.top - M.bottom
  const band = plotW / Math.max(1, groups.length)
  const barW = Math.min(36, (band * 0.72) / Math.max(1, series.length))
  const y = (v: number) => M.top + plotH - (v / top) * plotH
  const labelEvery = Math.ceil(groups.length / 14)
  // A drawing with links is a group of them, not one image (an image's content is not reachable).
  const linked = groups.some((g) => g.href)
  return (
    <svg className="chart" viewBox={`0 0 ${W} ${H}`} role={linked ? 'group' : 'img'} aria-label={label}>
      <text
        className="chart-axis-label"
        x={12}
        y={M.top + plotH / 2}
        transform={`rotate(-90 12 ${M.top + plotH / 2})`}
        textAnchor="middle"
      >
        {axisLabel}
      </text>
      {ticks.map((t) => (
        <g key={t}>
          <line className="chart-grid" x1={M.left} x2={W - M.right} y1={y(t)} y2={y(t)} />
          <text className="chart-tick" x={M.left - 6} y={y(t) + 4} textAnchor="end">
            {format(t)}
          </text>
        </g>
      ))}
      {groups.map((g, i) => {
        const x0 = M.left + i * band + (band - barW * series.length) / 2
        return (
          <g key={g.key} className={g.className} data-group={g.key}>
            <BarLink href={g.href} label={g.linkLabel}>
              {g.values.map((v, s) =>
                v === null ? null : (
                  <rect
                    key={series[s]}
                    className={`chart-bar series-${s}`}
                    x={x0 + s * barW}
                    y={y(v)}
                    width={Math.max(1, barW - 2)}
                    height={Math.max(v > 0 ? 1 : 0, M.top + plotH - y(v))}
                    rx={2}
                  >
                    <title>{`${g.label}${series.length > 1 ? ` · ${series[s]}` : ''}: ${format(v)}`}</title>
                  </rect>
                ),
              )}
            </BarLink>
            {i % labelEvery === 0 ? (
              <text
                className="chart-tick"
                x={M.left + i * band + band / 2}
                y={H - M.bottom + 16}
                textAnchor="middle"
              >
                {g.label}
              </text>
            ) : null}
          </g>
        )
      })}
      <line className="chart-axis" x1={M.left} x2={W - M.right} y1={M.top + plotH} y2={M.top + plotH} />
    </svg>
  )
}

/** The series' colours, as the bars use them. */
export function ChartLegend({ series }: { series: string[] }) {
  if (series.length < 2) return null
  return (
    <ul className="chart-legend">
      {series.map((name, i) => (
        <li key={name}>
          <span className={`chart-swatch series-${i}`} aria-hidden="true" />
          {name}
        </li>
      ))}
    </ul>
  )
}
