import { readFile } from 'node:fs/promises';
import { LineCounter, parseDocument } from 'yaml';
import { namePolicy, isValidRoom, type Dialect } from '@chat-gateway/core';
import { checkTransport } from './transport.js';
import { installedDialectNames, loadDialects } from '../registry.js';
import { loadBots } from '@chat-gateway/bots';
import { checkAddresses } from './addresses.js';
import { checkBackend } from './backend.js';
import { checkBench } from './bench.js';
import { ConfigError, childPath, type ConfigIssue } from './errors.js';
import { applyOverrides, portEnvName, type ConfigOverrides } from './overrides.js';
import { createAjv, issuesFromAjv, show } from './schema.js';
import { configValidator } from './validator.js';
import { didYouMean } from './suggest.js';
import type { GatewayConfig } from './types.js';
import type { ValidateFunction } from 'ajv';

export { ConfigError, formatIssues, type ConfigIssue } from './errors.js';
export { portEnvName, ENV_REDIS_URL, ENV_NODE_ID, NODE_ID_PATTERN, type ConfigOverrides } from './overrides.js';

export interface ParseOptions {
  /** Named in errors: the file path, or `<input>`. */
  source?: string;
  /** The dialects listeners may use (loadConfig: the installed ones its listeners name, loadDialects). */
  dialects: ReadonlyMap<string, Dialect>;
  /** Every installed dialect's name, for the unknown-dialect message (default: the keys of `dialects`). */
  installed?: readonly string[];
  /** The bots `bots:` may name (loadConfig defaults to the installed ones, loadBots); none when left out. */
  bots?: readonly string[];
}

export interface LoadOptions extends Partial<Omit<ParseOptions, 'source'>> {
  /** How to name another file, for the command that reads it (default: `pass the config file with --config FILE`). */
  missingHint?: string;
  /** Resolve and trial-bind every host (checkAddresses); default true. */
  checkAddresses?: boolean;
}

/**
 * Reads, validates and freezes a config file, then checks that every host
 * can be bound here (checkAddresses), as `serve` and `check-config` both
 * need. Overrides as in parseConfig; here `env` defaults to process.env,
 * since this is what the CLI runs.
 */
export async function loadConfig(path: string, overrides: ConfigOverrides = {}, opts: LoadOptions = {}): Promise<GatewayConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message;
    throw new ConfigError(path, [{ path: '(file)', message: `cannot read ${path}: ${reason}; ${opts.missingHint ?? 'pass the config file with --config FILE'}` }]);
  }
  const raw = parseYaml(text, path);
  // Only the dialects the listeners name are imported (issue #16): the others' names come from their manifests.
  const named = listenersOf(raw).flatMap((l) => (isRecord(l) && typeof l.dialect === 'string' ? [l.dialect] : []));
  const dialects = opts.dialects ?? (await loadDialects(named));
  const installed = opts.installed ?? (opts.dialects ? undefined : await installedDialectNames());
  const bots = opts.bots ?? [...(await loadBots()).keys()];
  const cfg = checkConfig(raw, { env: process.env, ...overrides }, { dialects, installed, bots, source: path });
  const issues = opts.checkAddresses === false ? [] : await checkAddresses(cfg);
  if (issues.length > 0) throw new ConfigError(path, issues);
  return cfg;
}

/**
 * Validates a config given as YAML text or as an already parsed object:
 * schema (defaults filled in), each listener's dialect options, listener
 * names, then env and flag overrides. Returns a deep-frozen config or throws
 * a ConfigError listing every problem. Reads no environment unless given one.
 */
export function parseConfig(input: string | unknown, overrides: ConfigOverrides, opts: ParseOptions): GatewayConfig {
  const source = opts.source ?? '<input>';
  return checkConfig(typeof input === 'string' ? parseYaml(input, source) : cloneInput(input, source), overrides, opts);
}

/** parseConfig of a value already parsed (and ours to fill in). */
function checkConfig(raw: unknown, overrides: ConfigOverrides, opts: ParseOptions): GatewayConfig {
  const source = opts.source ?? '<input>';
  const dialects = opts.dialects;
  if (raw === null || raw === undefined) {
    throw new ConfigError(source, [{ path: '(root)', message: 'the config is empty; it must be a mapping with at least `listeners` (see config/gateway.yaml)' }]);
  }
  const validate = configValidator();
  const issues: ConfigIssue[] = validate(raw) ? [] : issuesFromAjv(validate.errors);
  listenersOf(raw).forEach((l, i) => {
    if (isRecord(l)) issues.push(...checkListener(l, childPath('listeners', i), dialects, opts.installed), ...checkTransport(l, childPath('listeners', i)));
  });
  if (issues.length > 0) throw new ConfigError(source, issues);

  // The schema passed, so the shape is GatewayConfig's but for derived names.
  const cfg = raw as unknown as GatewayConfig;
  issues.push(...nameListeners(cfg.listeners));
  if (issues.length > 0) throw new ConfigError(source, issues);
  issues.push(...applyOverrides(cfg, overrides));
  issues.push(...checkNames(cfg), ...checkPorts(cfg), ...checkCluster(cfg), ...checkBackend(cfg), ...checkBench(cfg, opts.bots ?? []));
  if (issues.length > 0) throw new ConfigError(source, issues);
  return deepFreeze(cfg);
}

/** The `listeners` of a parsed config, whatever their shape (the schema reports what is wrong). */
function listenersOf(raw: unknown): unknown[] {
  return isRecord(raw) && Array.isArray(raw.listeners) ? (raw.listeners as unknown[]) : [];
}

function parseYaml(text: string, source: string): unknown {
  const lines = new LineCounter();
  // prettyErrors off: the position is said once, in the path, and the excerpt is ours.
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true, lineCounter: lines });
  if (doc.errors.length > 0) {
    throw new ConfigError(
      source,
      doc.errors.map((e) => {
        const { line, col } = lines.linePos(e.pos[0]);
        return { path: `line ${line}, column ${col}`, message: `YAML syntax: ${e.message.split('\n')[0]}`, excerpt: excerpt(text, line, col) };
      }),
    );
  }
  return doc.toJS();
}

// Longest excerpt line shown; a longer one is shown from a little before the column.
const EXCERPT_WIDTH = 100;

/**
 * The offending line (and the one before, for context) with a caret under
 * the column. Tabs show as `→`, one column wide, so the caret stays aligned
 * and a tab indentation (a YAML error of its own) is visible.
 */
export function excerpt(text: string, line: number, col: number): string[] {
  const shown = text.split(/\r?\n/).slice(Math.max(0, line - 2), line).map((l) => l.replace(/\t/g, '→'));
  const from = col > EXCERPT_WIDTH ? col - 1 - EXCERPT_WIDTH / 2 : 0;
  return [...shown.map((l) => l.slice(from, from + EXCERPT_WIDTH)), `${' '.repeat(col - 1 - from)}^`];
}

// Validation fills defaults in place: never touch the caller's object.
function cloneInput(input: unknown, source: string): unknown {
  try {
    return structuredClone(input);
  } catch (err) {
    throw new ConfigError(source, [{ path: '(root)', message: `must be plain data (YAML or JSON values): ${(err as Error).message}` }]);
  }
}

const optionValidators = new WeakMap<Dialect, ValidateFunction>();
// Dialect schemas are written by dialect packages: accept any draft-07 keyword they use.
// Made with the first listener that sets options, so a config without any never loads ajv's compiler.
let optionsAjv: ReturnType<typeof createAjv> | undefined;

function optionsValidator(d: Dialect): ValidateFunction {
  let v = optionValidators.get(d);
  if (!v) {
    optionsAjv ??= createAjv(false);
    v = optionsAjv.compile({ type: 'object', additionalProperties: false, properties: d.optionsSchema });
    optionValidators.set(d, v);
  }
  return v;
}

/** The dialect must be installed; its options must pass the dialect's schema. Fills default options in place. */
function checkListener(l: Record<string, unknown>, path: string, dialects: ReadonlyMap<string, Dialect>, installed: readonly string[] = [...dialects.keys()]): ConfigIssue[] {
  if (typeof l.dialect !== 'string') return []; // the schema reported it
  const dialect = dialects.get(l.dialect);
  if (!dialect) {
    return [{ path: childPath(path, 'dialect'), message: `unknown dialect ${show(l.dialect)};${didYouMean(l.dialect, installed)} must be one of the installed dialects: ${installed.join(', ') || '(none)'}` }];
  }
  if (!isRecord(l.options)) return [];
  // `{}` (the schema's default) passes any dialect's options schema: it names properties, never required ones.
  const validate = Object.keys(l.options).length > 0 ? optionsValidator(dialect) : undefined;
  if (validate && !validate(l.options)) return issuesFromAjv(validate.errors, childPath(path, 'options')).map((i) => noOptions(i, dialect));
  l.options = { ...copy(dialect.defaultOptions), ...l.options };
  return [];
}

function noOptions(issue: ConfigIssue, d: Dialect): ConfigIssue {
  return issue.message.endsWith('nothing is allowed here') ? { ...issue, message: issue.message.replace('nothing is allowed here', `dialect ${d.name} takes no options`) } : issue;
}

/**
 * Names each listener without one: the dialect's name, or `<dialect>-<port>`
 * when that dialect has several unnamed listeners. Names must be unique, and
 * so must the environment variables they map to.
 */
function nameListeners(listeners: GatewayConfig['listeners']): ConfigIssue[] {
  const unnamed = new Map<string, number>();
  for (const l of listeners) if (l.name === undefined) unnamed.set(l.dialect, (unnamed.get(l.dialect) ?? 0) + 1);
  const derived = new Set<number>();
  listeners.forEach((l, i) => {
    if (l.name !== undefined) return;
    l.name = unnamed.get(l.dialect)! > 1 ? `${l.dialect}-${l.port}` : l.dialect;
    derived.add(i);
  });
  const issues: ConfigIssue[] = [];
  const byName = new Map<string, number>();
  const byEnv = new Map<string, number>();
  listeners.forEach((l, i) => {
    const how = derived.has(i) ? ` (derived from dialect${l.name === l.dialect ? '' : ' and port'})` : '';
    const first = byName.get(l.name);
    if (first !== undefined) {
      issues.push({ path: `listeners[${i}].name`, message: `duplicate listener name \`${l.name}\`${how}, also used by listeners[${first}]; give each listener its own \`name\`` });
      return;
    }
    byName.set(l.name, i);
    const env = portEnvName(l.name);
    const clash = byEnv.get(env);
    if (clash !== undefined) {
      issues.push({ path: `listeners[${i}].name`, message: `listener names \`${listeners[clash]!.name}\` and \`${l.name}\` both map to ${env}; rename one` });
      return;
    }
    byEnv.set(env, i);
  });
  return issues;
}

/** Name patterns must compile, and the default rooms must satisfy the room policy. */
function checkNames(cfg: GatewayConfig): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  for (const key of ['nickPattern', 'roomPattern'] as const) {
    const src = cfg.names[key];
    if (src === undefined) continue;
    try {
      new RegExp(src);
    } catch (err) {
      issues.push({ path: `names.${key}`, message: `must be a valid regular expression: ${(err as Error).message}` });
    }
  }
  if (issues.length > 0) return issues;
  const policy = namePolicy(cfg.names);
  cfg.rooms.default.forEach((room, i) => {
    if (!isValidRoom(room, policy)) {
      issues.push({ path: `rooms.default[${i}]`, message: `${show(room)} is not a valid room name: must match /${policy.roomPattern.source}/ and have at most ${policy.roomMax} characters` });
    }
  });
  return issues;
}

/** A lease must outlive a heartbeat, or every node would reap every other between two renewals. */
function checkCluster(cfg: GatewayConfig): ConfigIssue[] {
  const { heartbeatMs, nodeTimeoutMs } = cfg.cluster;
  if (nodeTimeoutMs > heartbeatMs) return [];
  return [{ path: 'cluster.nodeTimeoutMs', message: `must be greater than cluster.heartbeatMs (${heartbeatMs}); three heartbeats (${3 * heartbeatMs}) is a good value` }];
}

const WILDCARD = new Set(['0.0.0.0', '::', '*']);

/** Two sockets on one port and overlapping addresses would fail at bind time: say so now, with both names. */
function checkPorts(cfg: GatewayConfig): ConfigIssue[] {
  const taken: { what: string; host: string; port: number }[] = [];
  const issues: ConfigIssue[] = [];
  const claim = (path: string, what: string, host: string, port: number) => {
    if (port === 0) return;
    const other = taken.find((t) => t.port === port && (t.host === host || WILDCARD.has(t.host) || WILDCARD.has(host)));
    if (other) issues.push({ path, message: `port ${port} is already used by ${other.what}; pick another port` });
    else taken.push({ what, host, port });
  };
  cfg.listeners.forEach((l, i) => claim(`listeners[${i}].port`, `listener \`${l.name}\``, l.host, l.port));
  if (cfg.admin.enabled) claim('admin.port', 'the admin server', cfg.admin.host, cfg.admin.port);
  return issues;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function copy<T>(v: T): T {
  try {
    return structuredClone(v);
  } catch {
    return { ...v };
  }
}

/** Freezes an object graph so no part of the running gateway can change its config. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
