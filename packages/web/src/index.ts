export { CHAT_PAGE_DIALECT, DIST_DIR, PageNotBuilt, chatPage, statusPage, type Page } from './pages.js';
export { sendPage, sendText, pathOf, refuseUpgrade } from './serve.js';
export { TRACE_PROTOCOL, BEARER_PROTOCOL_PREFIX } from './trace-protocol.js';
