/**
 * Reading the ops tables for people: the Logs view's pages (filters, search, keyset paging) and CSV
 * exports of logs, checkpoints, runs and months. The console's handlers call these; so does the benchmark.
 */

export { LOG_COUNT_CAP, logCount } from './count.js'
export {
  EXPORT_TABLES,
  type ExportFilter,
  type ExportOptions,
  type ExportProgress,
  type ExportTable,
  exportCsv,
} from './export.js'
export { containsPattern, type LogFilter, MAX_SEARCH } from './filter.js'
export { LOG_PAGE_LIMIT, type LogPageQuery, type LogPageResult, logPage } from './page.js'
