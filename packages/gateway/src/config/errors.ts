/** One problem in a config: where it is (`listeners[0].port`, `--admin-port`) and what is expected there. */
export interface ConfigIssue {
  path: string;
  message: string;
  /** Lines of the file shown under the message (a YAML error: the offending line and a caret). */
  excerpt?: readonly string[];
}

/**
 * A config that cannot be used. Carries every problem found, not just the
 * first, so one edit can fix them all (DESIGN.md "Operating": errors that name
 * the key and the fix).
 */
export class ConfigError extends Error {
  readonly errors: readonly ConfigIssue[];
  /** The file (or `<input>`) the config came from. */
  readonly source: string;

  constructor(source: string, errors: readonly ConfigIssue[]) {
    super(`invalid config ${source}:\n${formatIssues(errors).map((l) => `  ${l}`).join('\n')}`);
    this.name = 'ConfigError';
    this.source = source;
    this.errors = Object.freeze(errors.map((e) => Object.freeze({ ...e, ...(e.excerpt ? { excerpt: Object.freeze([...e.excerpt]) } : {}) })));
  }
}

/** One `path: message` line per issue, for terminals and logs, each followed by its excerpt (indented). */
export function formatIssues(errors: readonly ConfigIssue[]): string[] {
  return errors.flatMap((e) => [`${e.path}: ${e.message}`, ...(e.excerpt ?? []).map((l) => `    ${l}`)]);
}

/** JSON pointer (`/listeners/0/port`) to the dotted form users write (`listeners[0].port`); `(root)` for the whole file. */
export function pointerToPath(pointer: string): string {
  if (pointer === '') return '(root)';
  let out = '';
  for (const raw of pointer.slice(1).split('/')) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    out += /^\d+$/.test(seg) ? `[${seg}]` : out === '' ? seg : `.${seg}`;
  }
  return out;
}

/** Appends a key to a dotted path (`(root)` + `node` is `node`). */
export function childPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent === '(root)' ? '' : parent}[${key}]`;
  return parent === '(root)' || parent === '' ? key : `${parent}.${key}`;
}
