/** A ChatMaster listener's options. */
export interface ChatMasterOptions {
  /**
   * Whether replies are compressed (DESIGN.md ChatMaster): `mirror` (default)
   * answers in the format of the client's latest package (plain, zlib or
   * gzip); `always` compresses every package, in the client's format or zlib
   * before it has sent a compressed one; `never` sends plain JSON only.
   */
  compression: 'mirror' | 'always' | 'never';
  /**
   * Least gap, in milliseconds, between two packages to a client that has
   * not yet ended a package with `\n` (DESIGN.md ChatMaster pacing: real
   * clients json.loads each read). 0 turns pacing off.
   */
  paceMs: number;
  /**
   * Most names in a join or leave notification's `current_users` (DESIGN.md
   * "Traffic"): the full list would cost every member O(members) bytes per
   * login, O(n²) for a class logging in.
   */
  currentUsersMax: number;
}

/** JSON Schema `properties` for the listener's `options` (validated by the gateway with ajv). */
export const CHATMASTER_OPTIONS_SCHEMA: Record<string, object> = {
  compression: {
    type: 'string',
    enum: ['mirror', 'always', 'never'],
    description: 'mirror: compress replies when the client compressed, in its format; always; never',
  },
  paceMs: {
    type: 'integer',
    minimum: 0,
    maximum: 1000,
    description: 'least gap between packages to a client that has not proved it reads a stream (sent a package ended by \\n); 0 turns pacing off',
  },
  currentUsersMax: {
    type: 'integer',
    minimum: 0,
    maximum: 100000,
    description: 'most names in current_users of user_joined/user_left; 0 sends an empty list',
  },
};

/** Defaults the gateway fills in for options a listener leaves out. */
export const CHATMASTER_DEFAULT_OPTIONS: Readonly<ChatMasterOptions> = Object.freeze({ compression: 'mirror', paceMs: 10, currentUsersMax: 200 });
