// Shared by the admin server (packages/gateway) and the status page, which cannot import Node code.

/** The subprotocol the live-trace WebSocket answers with; the status page offers it. */
export const TRACE_PROTOCOL = 'chat-gateway.trace';

/** A browser's WebSocket sends no headers: the admin token rides as the subprotocol `bearer.<token as base64url>`. */
export const BEARER_PROTOCOL_PREFIX = 'bearer.';
