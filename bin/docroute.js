#!/usr/bin/env node
// Runs the TypeScript CLI directly: the project ships sources, and tsx compiles them on load.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
