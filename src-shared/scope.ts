import { monthKey } from './months.js'
import type { MonthlyScope, ResetScope } from './pipeline.js'

/** What a run or reset covers, for headings and confirmations: "every month that needs work", "2011-03"… */
export function describeScope(scope: MonthlyScope | ResetScope): string {
  switch (scope.kind) {
    case 'pending':
      return 'every month that needs work'
    case 'all':
      return 'all months'
    case 'year':
      return `every month of ${scope.year}`
    case 'month':
      return monthKey(scope)
    case 'range':
      return `${monthKey(scope.from)} to ${monthKey(scope.to)}`
    case 'months':
      return scope.months.length <= 6
        ? scope.months.map(monthKey).join(', ')
        : `${scope.months.length} months (${monthKey(scope.months[0]!)} … ${monthKey(scope.months[scope.months.length - 1]!)})`
  }
}
