#!/usr/bin/env node
// The CLI is built with the extension (`npm run build` writes dist/cli).
import { existsSync } from 'node:fs';
const entry = new URL('../dist/cli/archive-lens.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('archive-lens: run `npm run build` first (dist/cli is missing)\n');
  process.exit(2);
}
await import(entry.href);
