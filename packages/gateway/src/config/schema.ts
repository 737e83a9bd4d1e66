import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join as joinPath } from 'node:path';
import type { Ajv, ErrorObject, Options } from 'ajv';
import { DEFAULT_CLUSTER, DEFAULT_LIMITS } from '@chat-gateway/core';
import { childPath, pointerToPath, type ConfigIssue } from './errors.js';
import { didYouMean } from './suggest.js';
import { REPO_ROOT } from '../paths.js';

/**
 * The schema lives in the repo's config/ dir (DESIGN.md "Operating": JSON
 * Schema in `config/`), found from the gateway package's own folder (paths.ts),
 * so that any working directory works.
 */
export const SCHEMA_PATH = joinPath(REPO_ROOT, 'config', 'gateway.schema.json');

type SchemaNode = Record<string, any>;

let cachedSchema: SchemaNode | undefined;

/**
 * The config schema from config/gateway.schema.json, parsed once, with the
 * defaults core owns filled in (DEFAULT_LIMITS, DEFAULT_CLUSTER: one place
 * for each default); callers must not mutate it.
 */
export function configSchema(): Readonly<SchemaNode> {
  if (cachedSchema) return cachedSchema;
  const schema = JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')) as SchemaNode;
  fillDefaults(schema.properties.limits.properties, DEFAULT_LIMITS);
  fillDefaults(schema.properties.cluster.properties, DEFAULT_CLUSTER);
  cachedSchema = schema;
  return schema;
}

function fillDefaults(properties: SchemaNode, defaults: Readonly<Record<string, number>>): void {
  for (const [key, value] of Object.entries(defaults)) {
    if (!properties[key]) throw new Error(`config schema has no property ${key} for core's default`);
    properties[key].default = value;
  }
}

/** The ajv options config validation needs: every error, defaults filled in, the failing schema node attached. */
export const CONFIG_AJV_OPTIONS: Readonly<Options> = { allErrors: true, useDefaults: true, verbose: true };

/**
 * An ajv instance with CONFIG_AJV_OPTIONS (and `extra`). ajv's compiler is
 * required here, when first needed, not imported: `serve` with listeners
 * that set no options never loads it (issue #16: memory at start).
 */
export function createAjv(strict = true, extra: Options = {}): Ajv {
  const { Ajv: AjvClass } = createRequire(import.meta.url)('ajv') as typeof import('ajv');
  const ajv = new AjvClass({ ...CONFIG_AJV_OPTIONS, strict, ...extra });
  // `expected` is our annotation: the human wording of a constraint, used in error messages.
  ajv.addKeyword({ keyword: 'expected', schemaType: 'string' });
  return ajv;
}

/** Turns ajv errors into issues that name the key path and what belongs there; `base` prefixes nested validations. */
export function issuesFromAjv(errors: readonly ErrorObject[] | null | undefined, base = '(root)'): ConfigIssue[] {
  const out: ConfigIssue[] = [];
  const seen = new Set<string>();
  for (const e of errors ?? []) {
    const issue = issueFor(e, join(base, pointerToPath(e.instancePath)));
    const key = `${issue.path}\0${issue.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(issue);
  }
  return out;
}

function join(base: string, rel: string): string {
  if (rel === '(root)') return base;
  if (base === '(root)') return rel;
  return rel.startsWith('[') ? `${base}${rel}` : `${base}.${rel}`;
}

// Keys an earlier version had, and where their setting lives now: a 0.1.0 file gets the fix, not just "unknown key".
const MOVED: Readonly<Record<string, string>> = {
  'log.trace': 'moved: the interop trace is its own section now, `trace: { enabled: true }` (config/README.md "trace"); it no longer sets the log level',
};

function issueFor(e: ErrorObject, path: string): ConfigIssue {
  const parent = (e.parentSchema ?? {}) as SchemaNode;
  const params = e.params as Record<string, any>;
  switch (e.keyword) {
    case 'additionalProperties': {
      const allowed = Object.keys(parent.properties ?? {});
      const key = String(params.additionalProperty);
      const moved = MOVED[childPath(path, key)];
      if (moved) return { path: childPath(path, key), message: moved };
      return {
        path: childPath(path, key),
        message: allowed.length > 0 ? `unknown key \`${key}\`;${didYouMean(key, allowed)} allowed: ${allowed.join(', ')}` : `unknown key \`${key}\`; nothing is allowed here`,
      };
    }
    case 'required': {
      const key = String(params.missingProperty);
      const sub = parent.properties?.[key] as SchemaNode | undefined;
      return { path: childPath(path, key), message: `missing required key \`${key}\`${sub ? `: must be ${describe(sub)}` : ''}` };
    }
    case 'minItems':
      return { path, message: `must list at least ${params.limit} item${params.limit === 1 ? '' : 's'}` };
    case 'maxItems':
      return { path, message: `must list at most ${params.limit} items` };
    case 'uniqueItems':
      return { path, message: `must not repeat an item (items ${params.j} and ${params.i} are the same)` };
    case 'type':
    case 'enum':
    case 'const':
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
    case 'multipleOf':
    case 'minLength':
    case 'maxLength':
    case 'pattern':
    case 'format':
      return { path, message: `must be ${describe(parent)}, got ${show(e.data)}` };
    default:
      return { path, message: e.message ?? 'is not valid' };
  }
}

/** Human wording of what a schema node accepts ("an integer between 0 and 65535"). */
export function describe(s: SchemaNode): string {
  if (typeof s.expected === 'string') return s.expected;
  if (Array.isArray(s.enum)) return `one of ${s.enum.map((v: unknown) => JSON.stringify(v)).join(', ')}`;
  if ('const' in s) return JSON.stringify(s.const);
  const types: string[] = Array.isArray(s.type) ? s.type : s.type ? [s.type] : [];
  if (types.length > 1) return types.map((t) => describe({ ...s, type: t })).join(' or ');
  switch (types[0]) {
    case 'integer':
      return `an integer${range(s)}`;
    case 'number':
      return `a number${range(s)}`;
    case 'boolean':
      return 'true or false';
    case 'string': {
      const len = s.minLength >= 1 && s.maxLength ? ` of ${s.minLength}-${s.maxLength} characters` : s.minLength >= 1 ? ' (not empty)' : s.maxLength ? ` of at most ${s.maxLength} characters` : '';
      return `a string${len}${s.pattern ? ` matching /${s.pattern}/` : ''}`;
    }
    case 'array':
      return s.items && typeof s.items === 'object' && !Array.isArray(s.items) ? `a list (each ${describe(s.items)})` : 'a list';
    case 'object':
      return 'a mapping (key: value)';
    case 'null':
      return 'null';
    default:
      return 'a valid value';
  }
}

function range(s: SchemaNode): string {
  const lo = typeof s.minimum === 'number' ? s.minimum : undefined;
  const hi = typeof s.maximum === 'number' ? s.maximum : undefined;
  const gt = typeof s.exclusiveMinimum === 'number' ? s.exclusiveMinimum : undefined;
  if (lo !== undefined && hi !== undefined) return ` between ${lo} and ${hi}`;
  if (gt !== undefined && hi !== undefined) return ` greater than ${gt} and at most ${hi}`;
  if (lo !== undefined) return ` of at least ${lo}`;
  if (gt !== undefined) return ` greater than ${gt}`;
  if (hi !== undefined) return ` of at most ${hi}`;
  return '';
}

/** A value as it appears in an error message: JSON, cut short. */
export function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  let s: string;
  try {
    s = JSON.stringify(value) ?? String(value);
  } catch {
    s = String(value);
  }
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}
