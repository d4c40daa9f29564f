import { expect, test } from '@playwright/test'
import { ConsolePage } from './pages/console-page'
import { appForFile } from './support/app'

// 2011-05 fails every attempt with a permanent error: a run of it fails.
const app = appForFile({ env: { ASSAY_FAULTS: 'month:2011-05:permanent' } })

test('opt-in notifications: off by default; once on, a failed run raises one', async ({ page, context }) => {
  await context.grantPermissions(['notifications'])
  // Record notifications instead of showing them (headless Chromium has no notification centre).
  await page.addInitScript(`
    window.__notes = []
    window.Notification = class {
      static permission = 'granted'
      static requestPermission() { return Promise.resolve('granted') }
      constructor(title, options) { window.__notes.push({ title, body: options && options.body }) }
    }
  `)
  const console = new ConsolePage(page, app())
  await console.open('settings')
  const toggle = page.getByRole('checkbox', { name: 'Notify me when a run fails or is interrupted' })
  await expect(toggle).not.toBeChecked()
  await toggle.click()
  await expect(toggle).toBeChecked()
  // Saved in settings.json: still on after a reload.
  await page.reload()
  await console.ready('Settings')
  await expect(toggle).toBeChecked()

  await console.open('months/2011-05' as never)
  await console.button('Process').click()
  await expect(console.cell('2011-05')).toHaveAttribute('data-status', 'failed')
  await expect
    .poll(() => page.evaluate('window.__notes.map((n) => n.title)'))
    .toEqual(['Assay: Monthly run failed'])
})
