/** Attributes h() sets: strings as attributes, `on…` functions as listeners. */
type Attrs = Record<string, string | boolean | undefined | ((ev: Event) => void)>;

/** Builds an element; children are nodes or text (never parsed as HTML, so no text can inject markup). */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: (Node | string | undefined)[]): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    if (typeof v === 'function') e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children) if (c !== undefined) e.append(c);
  return e;
}

/** The element with this id; a missing one is a bug in the page. */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const e = document.getElementById(id);
  if (!e) throw new Error(`no #${id} in the page`);
  return e as T;
}

/** Replaces an element's children. */
export function fill(parent: Element, children: Node[]): void {
  parent.replaceChildren(...children);
}

/** `12:03:07` in local time. */
export function clock(at: number = Date.now()): string {
  return new Date(at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
}
