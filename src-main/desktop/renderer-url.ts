/**
 * The electron-vite dev server's URL in development. A packaged app always loads its own files: an
 * ELECTRON_RENDERER_URL in the user's environment must not point the window (and its IPC bridge) elsewhere.
 */
export function rendererDevUrl(env: NodeJS.ProcessEnv, isPackaged: boolean): string | undefined {
  if (isPackaged) return undefined
  return env.ELECTRON_RENDERER_URL || undefined
}
