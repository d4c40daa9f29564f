#!/usr/bin/env node
// The `assay` executable: electron-vite bundles this into out/main/cli.js, which package.json's `bin` names.
import { main } from './main.js'

await main(process.argv)
