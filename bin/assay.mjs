#!/usr/bin/env node
// Runs the TypeScript CLI through tsx's loader, so `npx assay` works straight after `npm install`.
import { register } from 'tsx/esm/api'

register()
const { main } = await import('../src-main/cli/main.ts')
await main(process.argv)
