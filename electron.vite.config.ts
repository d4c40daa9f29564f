import { resolve } from 'node:path'
import react from '@vitejs/plugin-react'
import { defineConfig } from 'electron-vite'
import type { Plugin } from 'vite'

/**
 * node-postgres asks whether it runs in a Cloudflare Worker by constructing a fetch `Response` when there is no
 * `navigator` (Node 20 has none), which loads Node's whole fetch stack: ~50 ms of CPU in every CLI command that
 * opens a database. The main-side bundles only ever run on Node, so the answer is always no.
 */
function pgOnNodeOnly(): Plugin {
  const marker = 'function isCloudflareRuntime() {'
  return {
    name: 'assay:pg-on-node-only',
    transform(code, id) {
      if (!/[\\/]pg[\\/]lib[\\/]stream\.js$/.test(id)) return null
      if (!code.includes(marker))
        this.error('pg/lib/stream.js no longer has isCloudflareRuntime(): review this plugin')
      return code.replace(marker, `${marker}\n  return false`)
    },
  }
}

/**
 * Three builds: Electron main (plus the host worker it starts), the preload (CommonJS, fully bundled, so the
 * renderer can stay sandboxed), and the renderer (also what `assay serve` serves from out/renderer).
 */
export default defineConfig({
  main: {
    plugins: [pgOnNodeOnly()],
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
