import type { Charset } from '@chat-gateway/core';

/** A PSU listener's options. */
export interface PsuOptions {
  /**
   * What the client is sent (DESIGN.md "Text"): `utf8` (default; the spec
   * says "All text ... shall be encoded in UTF-8"), or `ascii` for clients
   * that cannot show it (é → e, `?` for what has no ASCII form). Input is
   * always read as UTF-8, of which ASCII is a subset.
   */
  charset: Charset;
  /**
   * One line sent on connect, before anything else; empty sends none. The
   * spec has no greeting, but a student at `nc` otherwise sees nothing and
   * does not know the server waits for NICK; real clients show server lines
   * as-is (specs/psu-chat.txt 1: "displayed as-is by the client").
   */
  greeting: string;
}

/** JSON Schema `properties` for the listener's `options` (validated by the gateway with ajv). */
export const PSU_OPTIONS_SCHEMA: Record<string, object> = {
  charset: {
    type: 'string',
    enum: ['utf8', 'ascii'],
    description: 'utf8 (the spec): send text as UTF-8; ascii: transliterate what the client is sent to ASCII',
  },
  greeting: {
    type: 'string',
    maxLength: 400,
    pattern: '^[^\\r\\n]*$',
    description: 'one line sent on connect; empty for none',
  },
};

/** The greeting a listener sends unless configured otherwise. */
export const DEFAULT_GREETING = 'Welcome to chat-gateway (PSU chat). Choose a nick: NICK <nickname>';

/** Defaults the gateway fills in for options a listener leaves out. */
export const PSU_DEFAULT_OPTIONS: Readonly<PsuOptions> = Object.freeze({ charset: 'utf8', greeting: DEFAULT_GREETING });
