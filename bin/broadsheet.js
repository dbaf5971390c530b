#!/usr/bin/env node
// The CLI runs the compiled program; `npm run build` (or `npm start`) produces it.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = fileURLToPath(new URL('../dist/src/main.js', import.meta.url));
if (!existsSync(entry)) {
  console.error('broadsheet: the program is not built yet. Run `npm run build` first.');
  process.exit(1);
}
await import(entry);
