package dev.junction.core.proxy;

import dev.junction.core.protocol.ResponseTracker;
import dev.junction.core.session.InternalStep;
import dev.junction.core.session.ServerConnection;
import io.netty.buffer.ByteBuf;
import java.util.List;

/** Command-specific additions to a {@link ServerCall}. */
interface CallHooks {

    CallHooks NONE = new CallHooks() {
    };

    /** Steps to run after the session sync and before the command (e.g. re-prepare a statement). */
    /**
     * Whether the command is a plain read that may run again on another server when its connection breaks
     * before any answer byte reached the client (running it twice changes nothing).
     */
    default boolean plainRead() {
        return false;
    }

    default List<InternalStep> extraSteps(ServerConnection sc) {
        return List.of();
    }

    /** Rewrites the command for this server (e.g. statement ids). Owns {@code payload}; returns what to send. */
    default ByteBuf beforeSend(ServerConnection sc, ByteBuf payload) {
        return payload;
    }

    /**
     * Sees (and may change in place) each response frame, at {@code at} of {@code b} with its header, before it
     * is relayed; the tracker has seen it already.
     */
    default void onFrame(ServerConnection sc, ResponseTracker tracker, ByteBuf b, int at) {
    }

    /** The response is complete. */
    default void onComplete(ServerConnection sc, ResponseTracker tracker) {
    }
}
