#!/usr/bin/env node
// Launcher for the TypeScript CLI without a build step: the same as
// `node --import tsx packages/gateway/src/cli.ts`, with tsx's loader registered in-process
// so signals reach the CLI directly.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli.ts');
await main(process.argv.slice(2));
