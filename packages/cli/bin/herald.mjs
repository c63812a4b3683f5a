#!/usr/bin/env node
// The CLI is TypeScript like the rest of Herald, compiled as it loads by tsx (as the osls plugin
// is), so `npx herald` runs the sources of this checkout with no build step to forget.
import { tsImport } from 'tsx/esm/api';

const { main } = await tsImport('../src/main.ts', import.meta.url);
process.exitCode = await main(process.argv.slice(2));
