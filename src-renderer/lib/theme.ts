import type { Theme } from '../../src-shared/settings'

const KEY = 'assay-theme'
let media: MediaQueryList | undefined

function resolved(theme: Theme): 'light' | 'dark' {
  if (theme !== 'system') return theme
  return window.matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light'
}

/** Applies a theme to the page (and remembers it, so the next load starts in it before settings arrive). */
export function applyTheme(theme: Theme): void {
  if (typeof document === 'undefined') return
  document.documentElement.dataset.theme = resolved(theme)
  try {
    localStorage.setItem(KEY, theme)
  } catch {
    // Storage may be unavailable; the theme still applies for this page.
  }
  media ??= window.matchMedia?.('(prefers-color-scheme: dark)')
  if (media) media.onchange = theme === 'system' ? () => applyTheme('system') : null
}

/** The theme the page last used. */
export function rememberedTheme(): Theme {
  try {
    const value = localStorage.getItem(KEY)
    return value === 'light' || value === 'dark' ? value : 'system'
  } catch {
    return 'system'
  }
}
