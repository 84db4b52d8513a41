package org.lfadsrt.host.server;

/**
 * What {@link RigDecoder} emits instead of a message when an inbound frame is bad. {@code fatal}
 * means framing is lost (oversized or impossible length): answer with the error, then close.
 */
public record ProtocolError(int code, String message, boolean fatal) {}
