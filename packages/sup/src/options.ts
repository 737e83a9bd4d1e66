import type { Charset } from '@chat-gateway/core';

/** A Sup listener's options. */
export interface SupOptions {
  /**
   * What texts from other dialects become on the wire (DESIGN.md "Text"):
   * `ascii` (default) transliterates them (é → e, `?` for what has no ASCII
   * form), since the spec says "All messages are sent in ASCII text"; `utf8`
   * passes them through for clients that can read it.
   */
  charset: Charset;
}

/** JSON Schema `properties` for the listener's `options` (validated by the gateway with ajv). */
export const SUP_OPTIONS_SCHEMA: Record<string, object> = {
  charset: {
    type: 'string',
    enum: ['ascii', 'utf8'],
    description: 'ascii: transliterate texts from other dialects to ASCII (the spec); utf8: send them as UTF-8',
  },
};

/** Defaults the gateway fills in for options a listener leaves out. */
export const SUP_DEFAULT_OPTIONS: Readonly<SupOptions> = Object.freeze({ charset: 'ascii' });
