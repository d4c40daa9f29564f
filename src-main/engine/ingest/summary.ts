import type { IngestReport, RejectKind } from './types.js'

/** Short names of the rejection kinds, for summaries. */
export const REJECT_LABELS: Record<RejectKind, string> = {
  missing_invoice: 'no invoice number (dropped)',
  missing_stockcode: 'no stock code (dropped)',
  missing_date: 'no invoice date (dropped)',
  bad_quantity: 'quantity not a whole number',
  bad_price: 'unit price not a number',
  negative_price: 'unit price below 0 (dropped)',
  price_too_high: 'unit price above 10000 (dropped)',
  bad_date: 'unparseable date',
  date_out_of_range: 'date outside 1990-01-01…2100-12-31',
  quantity_out_of_range: 'quantity outside ±1,000,000',
  bad_customer: 'customer id not a number',
  too_long: 'value too long for its column',
  field_count: 'wrong field count',
  broken_quoting: 'broken quoting',
  line_too_long: 'line too long',
  invalid_utf8: 'invalid UTF-8',
  nul_byte: 'NUL byte',
}

const DATE_LAYOUTS: Record<string, string> = {
  dmy: 'day-first dates',
  mdy: 'month-first dates',
  iso: 'ISO dates',
  excel: 'Excel dates',
}

function n(value: number): string {
  return value.toLocaleString('en')
}

/** The end-of-ingest summary as lines of text (the CLI prints them; the console can show them). */
export function summariseIngest(report: IngestReport): string[] {
  if (report.status === 'already_ingested') {
    const p = report.previous!
    return [
      `${report.fileName} was already ingested on ${p.ingestedAt.slice(0, 19).replace('T', ' ')} UTC as ${p.fileName} (${n(p.rowsLoaded)} lines, same SHA-256 ${report.sha256.slice(0, 12)}…); nothing added`,
    ]
  }
  const rate = report.seconds > 0 ? Math.round((report.loaded + report.rejected) / report.seconds) : 0
  const where = report.sheet ? ` (sheet "${report.sheet}")` : ''
  const out = [
    `loaded ${n(report.loaded)} lines from ${report.fileName}${where} into bronze.raw_transactions — ${DATE_LAYOUTS[report.dateLayout ?? ''] ?? report.dateLayout}, ${report.seconds.toFixed(1)} s (${n(rate)} lines/s)`,
  ]
  if (report.skippedSheets && report.skippedSheets.length > 0) {
    out.push(
      `skipped sheet(s) without the Online Retail header: ${report.skippedSheets.map((s) => `"${s}"`).join(', ')}`,
    )
  }
  if (report.blankLines > 0) out.push(`skipped ${n(report.blankLines)} blank line(s)`)
  if (report.rejected > 0) {
    out.push(`rejected ${n(report.rejected)} line(s):`)
    for (const group of report.groups) {
      out.push(`  ${n(group.count).padStart(8)}  ${REJECT_LABELS[group.kind]}`)
      for (const example of group.examples) {
        out.push(`            line ${example.line}: ${example.reason}`)
      }
    }
    out.push(`every rejected line is in bronze.rejected_lines (WHERE file_sha256 = '${report.sha256}')`)
  }
  return out
}
