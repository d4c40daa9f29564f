// Runs a TypeScript host entry inside a worker thread when Assay runs from source: workers do not inherit
// the tsx loader of the process that started them (vitest, `npm run assay`), and `execArgv: ['--import', 'tsx']` loads too late on Node 20.
import { workerData } from 'node:worker_threads'
import { register } from 'tsx/esm/api'

register()
await import(workerData.entry)
