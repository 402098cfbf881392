package dev.junction.core.session;

import dev.junction.core.protocol.ResponseTracker;
import io.netty.buffer.ByteBuf;

/** Receives a server's response to one command. All calls happen on the connection's event loop. */
public interface ResponseHandler {

    /**
     * Sees one wire frame at {@code at} of {@code b} (header included) after the tracker did, before it is
     * handed over in {@link #onFrames}; may change it in place. Does not own {@code b}. Every frame but the rows
     * of a result set comes here; of the rows that arrive in one read, only the last does (see
     * {@link ResponseTracker#skipRows}).
     *
     * @return null, or frames to hand over instead of this one (owned by the caller; the frames before this one are
     *         handed over first)
     */
    default ByteBuf inspect(ServerConnection server, ByteBuf b, int at) {
        return null;
    }

    /** Consecutive complete wire frames of the response (headers included); the handler owns them and must release or pass them on. */
    void onFrames(ServerConnection server, ByteBuf frames);

    /** The response is complete; {@code tracker} tells what it was. */
    void onComplete(ServerConnection server, ResponseTracker tracker);

    /** The connection failed before the response was complete (the command may have executed). */
    void onFailure(ServerConnection server, Throwable cause);
}
