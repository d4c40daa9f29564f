/** "Explain this number": a gold value's breakdown, its daily silver rows and the bronze lines behind them. */
export { explainCount, explainCsv } from './export.js'
export { checkTarget, explainPage } from './read.js'
export { explainSummary } from './summary.js'
