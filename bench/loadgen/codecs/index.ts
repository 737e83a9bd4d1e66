import { chatmaster } from './chatmaster.js';
import { irc } from './irc.js';
import { psu } from './psu.js';
import { sup } from './sup.js';
import type { Codec } from './types.js';
import { ws2017 } from './ws2017.js';

/** Every client protocol the load generator speaks, by name (gateway dialect names, and irc). */
export const CODECS: Readonly<Record<string, Codec>> = Object.freeze({ irc, psu, ws2017, sup, chatmaster });

export type { Codec, ClientPort } from './types.js';
