import { renderToStaticMarkup } from 'react-dom/server'
import { describe, expect, it } from 'vitest'
import { zoneLabel } from '../lib/format'
import { parseBound } from '../lib/local-time'
import { BoundField, TimeRange } from './filter-controls'

describe('time range filter', () => {
  it('shows the bounds as ISO text in text inputs (no locale date picker) and names the time zone', () => {
    const from = parseBound('2024-05-01 09:30', 'from')
    const to = parseBound('2024-05-03', 'to')
    if (!from.ok || !to.ok) throw new Error('fixture')
    const html = renderToStaticMarkup(<TimeRange from={from.iso} to={to.iso} onChange={() => {}} />)
    expect(html).not.toMatch(/type="(date|datetime-local|time)"/)
    expect(html).toContain('value="2024-05-01 09:30"')
    expect(html).toContain('value="2024-05-03"')
    expect(html).toContain(`>${zoneLabel()}</span>`)
    expect(html.match(/aria-describedby="[^"]*-zone"/g)).toHaveLength(2)
  })

  it('shows a bound that does not parse with its error inline, tied to the input', () => {
    const typed = '2024-13-01'
    const parsed = parseBound(typed, 'from')
    if (parsed.ok) throw new Error('fixture')
    const html = renderToStaticMarkup(
      <BoundField id="f" label="From" text={typed} error={parsed.error} zoneId="z" onText={() => {}} />,
    )
    expect(html).toContain('aria-invalid="true"')
    expect(html).toContain('aria-describedby="f-error z"')
    expect(html).toContain(
      '<p class="field-error" id="f-error" role="alert">2024-13-01 is not a date on the calendar</p>',
    )
    const fine = renderToStaticMarkup(
      <BoundField id="f" label="From" text="2024-05-01" error={null} zoneId="z" onText={() => {}} />,
    )
    expect(fine).toContain('aria-invalid="false"')
    expect(fine).not.toContain('role="alert"')
  })
})
