/** The host worker over the real engine: what `assay serve` and the desktop app run. */
import { engine } from '../../engine/engine.js'
import { engineSetup } from '../engine-setup.js'
import { runHostWorker } from './run-worker.js'

await runHostWorker({ engine, setup: engineSetup })
