import type { ConfigIssue } from './errors.js';
import type { GatewayConfig } from './types.js';

/**
 * The interop bench's keys (DESIGN.md "Interop bench") beyond what the
 * schema checks: a trace filter's listener must be one of the file's, and
 * each bot one of those installed (packages/bots/src/bots: one file each).
 */
export function checkBench(cfg: GatewayConfig, installedBots: readonly string[]): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const listeners = cfg.listeners.map((l) => l.name);
  cfg.trace.filters.forEach((f, i) => {
    const name = f.startsWith('listener=') ? f.slice('listener='.length) : undefined;
    if (name !== undefined && !listeners.includes(name)) issues.push({ path: `trace.filters[${i}]`, message: `no listener named \`${name}\`; listeners: ${listeners.join(', ')}` });
  });
  cfg.bots.forEach((b, i) => {
    if (!installedBots.includes(b)) issues.push({ path: `bots[${i}]`, message: `unknown bot ${JSON.stringify(b)}; installed bots: ${installedBots.join(', ') || '(none)'}` });
  });
  return issues;
}
