import type { NamePolicy } from './names.js';

/** What a config reload may change in a running Hub (DESIGN.md "Operating": SIGHUP reloads rooms and limits at once). */
export interface HubSettings {
  policy: NamePolicy;
  /** Longest message text, characters. */
  textMax: number;
  /** Rooms that always exist. */
  defaultRooms: readonly string[];
}

/** A settings object nobody can change behind the Hub's back. */
export function frozen(s: HubSettings): Readonly<HubSettings> {
  return Object.freeze({ ...s, defaultRooms: Object.freeze([...s.defaultRooms]) });
}
