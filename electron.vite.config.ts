import { resolve } from 'node:path'
import react from '@vitejs/plugin-react'
import { defineConfig } from 'electron-vite'

/**
 * Three builds: Electron main (plus the host worker it starts), the preload (CommonJS, fully bundled, so the
 * renderer can stay sandboxed), and the renderer (also what `assay serve` serves from out/renderer).
 */
export default defineConfig({
  main: {
    build: {
      rolldownOptions: {
        input: {
          index: resolve('src-main/desktop/main.ts'),
          'host-worker': resolve('src-main/host/worker/entry.ts'),
          cli: resolve('src-main/cli/bin.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      externalizeDeps: false,
      rolldownOptions: {
        input: { preload: resolve('src-main/desktop/preload.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve('src-renderer'),
    build: {
      outDir: resolve('out/renderer'),
      rolldownOptions: { input: resolve('src-renderer/index.html') },
    },
    plugins: [react()],
  },
})
