/**
 * The one empty list that every idle queue of a connection (frames in, frames
 * out, deferred replies) points at until its first item, so an idle
 * connection holds no arrays of its own (issue #16: memory per idle
 * connection). Frozen: a push to it throws instead of leaking between connections.
 */
export const NONE = Object.freeze([]) as never[];
