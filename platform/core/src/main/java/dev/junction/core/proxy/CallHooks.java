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

    /**
     * Whether the command is a plain read that may run again on another server when its connection breaks
     * before any answer byte reached the client (running it twice changes nothing).
     */
    default boolean plainRead() {
        return false;
    }

    /**
     * Whether the command changes nothing on the server, in or out of a transaction (COM_STMT_PREPARE only
     * compiles a statement): when its connection breaks before any answer byte reached the client it is sent to
     * another server, unless the session binds it to that one.
     */
    default boolean withoutEffect() {
        return false;
    }

    /** Steps to run after the session sync and before the command (e.g. re-prepare a statement). */
    default List<InternalStep> extraSteps(ServerConnection sc) {
        return List.of();
    }

    /** Rewrites the command for this server (e.g. statement ids). Owns {@code payload}; returns what to send. */
    default ByteBuf beforeSend(ServerConnection sc, ByteBuf payload) {
        return payload;
    }

    /**
     * Sees (and may change in place) each response frame, at {@code at} of {@code b} with its header, before it
     * is relayed; the tracker has seen it already. Rows of a result set: only the last of each read.
     */
    default void onFrame(ServerConnection sc, ResponseTracker tracker, ByteBuf b, int at) {
    }

    /** The response is complete. */
    default void onComplete(ServerConnection sc, ResponseTracker tracker) {
    }

    /**
     * The server left out the column definitions of the first result set (MariaDB's metadata caching). Returns
     * the definitions the server last sent if the client holds different ones (they are then put in), else null.
     */
    default byte[] columnsClientLacks(ServerConnection sc) {
        return null;
    }
}
