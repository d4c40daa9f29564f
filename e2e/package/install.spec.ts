import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { expect, test } from '@playwright/test'
import { createDatabase, dropDatabase } from '../support/databases'
import { ROOT, serverUrl } from '../support/paths'

/**
 * Assay as a user gets it: `npm pack`, `npm install -g` of the tarball into a temporary prefix, then the
 * installed `assay` from a folder that holds nothing but a `.env` naming a scratch database.
 */
let tmp: string
let assay: string
let folder: string
let database: string
let serve: ChildProcess | undefined
let tarball: string

/** Runs the installed `assay` in the user's folder with a clean environment (settings come from .env). */
function run(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(assay, args, { cwd: folder, env: userEnv(), encoding: 'utf8', timeout: 300_000 })
  return { code: result.status, stdout: result.stdout, stderr: result.stderr }
}

function userEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' }
  for (const key of Object.keys(env)) {
    if (/^(DATABASE_URL|DB_[A-Z]+|ASSAY_.*|npm_.*|NODE_OPTIONS)$/.test(key)) delete env[key]
  }
  return env
}

test.beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'assay-package-'))
  // npm pack runs `prepare` (the build) first, so the tarball holds what this checkout's sources build.
  execFileSync('npm', ['pack', '--pack-destination', tmp], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
  })
  const filename = readdirSync(tmp).find((f) => f.endsWith('.tgz'))
  if (!filename) throw new Error(`npm pack left no tarball in ${tmp}`)
  tarball = join(tmp, filename)
  const prefix = join(tmp, 'prefix')
  execFileSync('npm', ['install', '-g', '--prefix', prefix, '--no-audit', '--no-fund', tarball], {
    cwd: tmp,
    stdio: ['ignore', 'ignore', 'inherit'],
  })
  assay = join(prefix, 'bin', 'assay')
  folder = join(tmp, 'course')
  mkdirSync(folder)
  database = await createDatabase()
  writeFileSync(join(folder, '.env'), `DATABASE_URL=${serverUrl(database)}\n`)
})

test.afterAll(async () => {
  serve?.kill('SIGTERM')
  if (database) await dropDatabase(database)
  if (tmp) rmSync(tmp, { recursive: true, force: true })
})

test('the tarball holds the built CLI, the built console, sql/ and the README, nothing else', () => {
  const files = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' })
    .split('\n')
    .filter(Boolean)
    .map((f) => f.replace(/^package\//, ''))
  expect(files).toContain('out/main/cli.js')
  expect(files).toContain('out/main/host-worker.js')
  expect(files).toContain('out/renderer/index.html')
  expect(files).toContain('sql/0001_bronze.sql')
  // out/main/index.js is the desktop app's entry: npm always packs package.json's "main" (62 kB).
  const allowed =
    /^(out\/main\/(cli|host-worker|index)\.js|out\/main\/chunks\/[\w-]+\.js|out\/renderer\/.+|sql\/\d{4}_\w+\.sql|README\.md|LICENSE|package\.json)$/
  expect(files.filter((f) => !allowed.test(f))).toEqual([])
})

test('the installed package works from any folder, console included', async ({ page }) => {
  expect(readdirSync(folder)).toEqual(['.env'])
  const version = run('--version')
  expect(version.code).toBe(0)
  expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/)

  const init = run('init')
  expect(init.code, init.stderr).toBe(0)
  expect(init.stderr).toContain(`/${database}`)
  expect(init.stdout).toMatch(/migration\(s\) applied/)
  expect(run('demo', '--scale', '0.05').stdout).toMatch(/loaded [\d,]+ demo lines/)
  expect(run('silver').stdout).toMatch(/silver\.fact_sales_daily/)
  const monthly = run('monthly')
  expect(monthly.code, monthly.stderr).toBe(0)
  expect(monthly.stdout).toMatch(/13 processed, 0 skipped, 0 failed/)
  const status = run('status')
  expect(status.code).toBe(0)
  expect(status.stdout).toMatch(/gold\s+gold\.fact_sales_monthly\s+13 rows/)

  serve = spawn(assay, ['serve', '--port', '0'], {
    cwd: folder,
    env: userEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stderr = ''
  serve.stderr?.on('data', (chunk) => {
    stderr += chunk
  })
  const url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: serve!.stdout! }).on('line', (line) => {
      const match = /Assay console: (\S+)/.exec(line)
      if (match) resolve(match[1] as string)
    })
    serve!.once('exit', (code) => reject(new Error(`assay serve exited ${code}: ${stderr}`)))
  })
  await page.goto(url)
  await page.locator('section.view[data-state="ready"]').first().waitFor()
  await expect(page.getByText('fact_sales_monthly').first()).toBeVisible()
})
