import type { Dialect } from '@chat-gateway/core';
import { dialect as ws2017 } from '@chat-gateway/ws2017';
import { dialect as psu } from '@chat-gateway/psu';
import { dialect as sup } from '@chat-gateway/sup';
import { dialect as chatmaster } from '@chat-gateway/chatmaster';

/** Every built dialect, by name. Adding a dialect is one import and one entry here. */
export const DIALECTS: ReadonlyMap<string, Dialect> = new Map(([ws2017, psu, sup, chatmaster] as Dialect[]).map((d) => [d.name, d]));
