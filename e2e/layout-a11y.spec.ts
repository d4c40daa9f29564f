import AxeBuilder from '@axe-core/playwright'
import { expect, type Page, test } from '@playwright/test'
import { ConsolePage, type ViewHash } from './pages/console-page'
import { appForFile } from './support/app'
import { finished, runAssay, spawnAssay } from './support/cli'
import { serverUrl } from './support/paths'

// Every view with real content: months processed (one failed), a reliable run, logs.
const app = appForFile({}, async (a) => {
  const url = serverUrl(a.database!)
  await finished(spawnAssay(['monthly', '--database-url', url], { ASSAY_FAULTS: 'month:2011-05:permanent' }))
  await runAssay(['reliable', '--database-url', url])
})

const TABS: ViewHash[] = ['overview', 'run', 'runs', 'months', 'checkpoints', 'logs', 'settings']

/** Every tab, and the three levels of "explain this number" (a month, its UK rows, the lines behind one). */
async function views(): Promise<{ name: string; hash: string; snap: boolean }[]> {
  const [row] = await app().sql<{ day: string; code: string }>(
    `SELECT to_char(to_date(f.date_id::text, 'YYYYMMDD'), 'YYYY-MM-DD') AS day, p.stock_code AS code
     FROM silver.fact_sales_daily f JOIN silver.dim_product p USING (product_id)
     WHERE f.country = 'United Kingdom' AND f.date_id BETWEEN 20110301 AND 20110331
     ORDER BY f.date_id, f.product_id LIMIT 1`,
  )
  const month = 'of=month&month=2011-03'
  return [
    ...TABS.map((v) => ({ name: v, hash: v, snap: true })),
    { name: 'explain', hash: `explain?level=breakdown&${month}&by=country`, snap: true },
    {
      name: 'explain (silver)',
      hash: `explain?level=silver&${month}&country=United+Kingdom&by=country`,
      snap: false,
    },
    {
      name: 'explain (bronze)',
      hash: `explain?level=bronze&${month}&product=${encodeURIComponent(row!.code)}&country=United+Kingdom&by=country&day=${row!.day}`,
      snap: false,
    },
  ]
}
const SIZES = [
  { width: 1024, height: 700 },
  { width: 1440, height: 900 },
]

/** How far the page, or the scrolling main area, is wider than the window (0: no horizontal scroll). */
function overflow(page: Page): Promise<number> {
  // A string: the e2e tsconfig has no DOM types; this runs in the page.
  return page.evaluate(`(() => {
    const main = document.querySelector('.app-main')
    const doc = document.documentElement
    return Math.max(doc.scrollWidth - doc.clientWidth, main ? main.scrollWidth - main.clientWidth : 0)
  })()`)
}

for (const theme of ['light', 'dark'] as const) {
  for (const size of SIZES) {
    test(`every view at ${size.width} px (${theme}): no sideways scrolling, nothing serious for axe`, async ({
      page,
    }) => {
      test.setTimeout(240_000)
      await page.emulateMedia({ colorScheme: theme })
      await page.setViewportSize(size)
      const console = new ConsolePage(page, app())
      const problems: string[] = []
      for (const { name: view, hash, snap } of await views()) {
        await console.open(hash as ViewHash)
        const level = /level=(\w+)/.exec(hash)?.[1]
        if (level) await page.locator(`section.view[data-state="ready"][data-level="${level}"]`).waitFor()
        await expect(page.locator('html')).toHaveAttribute('data-theme', theme)
        const extra = await overflow(page)
        if (extra > 0) problems.push(`${view}: ${extra} px too wide`)
        const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze()
        for (const v of axe.violations.filter((x) => x.impact === 'serious' || x.impact === 'critical'))
          problems.push(
            `${view}: ${v.id} (${v.impact}) ${v.nodes
              .slice(0, 3)
              .map((n) => n.target.join(' '))
              .join(' | ')}`,
          )
        if (snap) await console.snap(`${view}-${size.width}-${theme}`)
      }
      expect(problems).toEqual([])
    })
  }
}
