/**
 * The console's views subscribe to slices of a store, never to the whole store: `useLogs()` re-renders the
 * Logs view on every field any action touches; `useLogs(useShallow(…))` or `useLogs((s) => s.x)` only on what
 * the view reads. A source check, since a whole-store subscription works and no behaviour test can see it.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

const ROOT = new URL('..', import.meta.url).pathname

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return sources(path)
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [path] : []
  })
}

/** The hooks the stores export (`export const useLogs = create…` or `= paged.use`). */
function storeHooks(): Set<string> {
  const hooks = sources('src-renderer/stores').flatMap((file) =>
    [...readFileSync(join(ROOT, file), 'utf8').matchAll(/export const (use[A-Z]\w*)\s*=/g)].map((m) => m[1]!),
  )
  return new Set(hooks)
}

describe('narrow selectors', () => {
  const hooks = storeHooks()
  const views = [...sources('src-renderer/features'), ...sources('src-renderer/components')]

  it('finds the stores and the views', () => {
    expect(hooks).toContain('useLogs')
    expect(hooks).toContain('useSettings')
    expect(views).toContain('src-renderer/features/logs/logs-view.tsx')
  })

  it('no view subscribes to a whole store', () => {
    const offences = views.flatMap((file) =>
      [...readFileSync(join(ROOT, file), 'utf8').matchAll(/\b(use[A-Z]\w*)\(\)/g)]
        .filter((m) => hooks.has(m[1]!))
        .map((m) => `${file}: ${m[0]}`),
    )
    expect(offences).toEqual([])
  })
})
