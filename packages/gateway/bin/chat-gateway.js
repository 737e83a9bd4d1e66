#!/usr/bin/env node
// The `chat-gateway` command: the compiled CLI, bundled (packages/gateway/dist/bundle, made by
// `npm run build`, which `npm ci` runs as `prepare`), in this one process, so signals reach the CLI
// directly and no TypeScript compiler is loaded at run time.
import { main } from '../dist/bundle/cli.js';

await main(process.argv.slice(2));
