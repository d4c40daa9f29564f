import { loadDemo } from '../engine/demo/demo.js'
import { buildSilver } from '../engine/silver/build.js'
import type { SetupApi } from './setup.js'

/** The seed `assay demo` uses by default, so the console's demo data is the CLI's. */
export const DEMO_SEED = 42

/** The first-run steps over the engine's demo generator and silver build. */
export const engineSetup: SetupApi = {
  async loadDemo(db, { scale, onProgress }) {
    const report = await loadDemo(db, {
      scale,
      seed: DEMO_SEED,
      onProgress: (lines, total) =>
        onProgress?.(
          total ? lines / total : null,
          `${lines.toLocaleString('en')} of ${total.toLocaleString('en')} lines`,
        ),
    })
    return { rows: report.lines }
  },
  async buildSilver(db) {
    const report = await buildSilver(db)
    return { rows: report.facts.total }
  },
}
