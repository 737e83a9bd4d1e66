/**
 * Nick and room policy (DESIGN.md "Canonical model"): the intersection every
 * dialect can carry. Compared case-insensitively with an ASCII fold.
 */
export interface NamePolicy {
  /** Nick pattern; default 1-24 of A-Z a-z 0-9 _ - . starting with a letter or _. */
  nickPattern: RegExp;
  nickMax: number;
  /** Room pattern; default 1-32 of A-Z a-z 0-9 _ - . */
  roomPattern: RegExp;
  roomMax: number;
}

export const DEFAULT_NAME_POLICY: Readonly<NamePolicy> = Object.freeze({
  nickPattern: /^[A-Za-z_][A-Za-z0-9_.-]{0,23}$/,
  nickMax: 24,
  roomPattern: /^[A-Za-z0-9_.-]{1,32}$/,
  roomMax: 32,
});

/** Builds a policy from config strings, keeping defaults for what is absent. */
export function namePolicy(opts: { nickPattern?: string; nickMax?: number; roomPattern?: string; roomMax?: number } = {}): NamePolicy {
  return Object.freeze({
    nickPattern: opts.nickPattern ? new RegExp(opts.nickPattern) : DEFAULT_NAME_POLICY.nickPattern,
    nickMax: opts.nickMax ?? DEFAULT_NAME_POLICY.nickMax,
    roomPattern: opts.roomPattern ? new RegExp(opts.roomPattern) : DEFAULT_NAME_POLICY.roomPattern,
    roomMax: opts.roomMax ?? DEFAULT_NAME_POLICY.roomMax,
  });
}

/** ASCII case fold: the identity of a nick or room. Non-ASCII is left alone. */
export function fold(name: string): string {
  // Most names are looked up already folded: no replace, no allocation then. A loop, not a regex
  // test: names are short and this runs several times per message.
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c >= 0x41 && c <= 0x5a) return name.replace(/[A-Z]+/g, (s) => s.toLowerCase());
  }
  return name;
}

/** True when the nick satisfies the policy. */
export function isValidNick(nick: string, policy: NamePolicy = DEFAULT_NAME_POLICY): boolean {
  return nick.length <= policy.nickMax && policy.nickPattern.test(nick);
}

/** True when the room name satisfies the policy. */
export function isValidRoom(room: string, policy: NamePolicy = DEFAULT_NAME_POLICY): boolean {
  return room.length <= policy.roomMax && policy.roomPattern.test(room);
}

/**
 * A valid nick derived from an invalid one (WS_2017 `-ERR uname <sanitized
 * suggestion>`): disallowed characters dropped, a leading `_` added when the
 * first character cannot start a nick, cut to length; `user` when nothing is left.
 */
export function sanitizeNick(raw: string, policy: NamePolicy = DEFAULT_NAME_POLICY): string {
  let s = raw.normalize('NFKD').replace(/[^A-Za-z0-9_.-]/g, '');
  if (s && !/^[A-Za-z_]/.test(s)) s = `_${s}`;
  s = s.slice(0, policy.nickMax);
  return s && isValidNick(s, policy) ? s : 'user';
}

/**
 * The first free variant of a nick (`alice_`, `alice__`, `alice1`, ...), given
 * a predicate that says whether a candidate is taken. Keeps within nickMax;
 * `includeBase` also offers the (sanitized) nick itself first.
 */
export async function suggestFreeNick(
  nick: string,
  isTaken: (candidate: string) => Promise<boolean> | boolean,
  policy: NamePolicy = DEFAULT_NAME_POLICY,
  includeBase = false,
): Promise<string> {
  const base = sanitizeNick(nick, policy);
  const fit = (stem: string, suffix: string) => stem.slice(0, Math.max(1, policy.nickMax - suffix.length)) + suffix;
  const candidates = includeBase ? [base] : [];
  candidates.push(fit(base, '_'), fit(base, '__'));
  for (let i = 1; i < 10_000; i++) candidates.push(fit(base, String(i)));
  for (const c of candidates) {
    if (isValidNick(c, policy) && !(await isTaken(c))) return c;
  }
  return fit(base, String(Date.now() % 100000));
}
