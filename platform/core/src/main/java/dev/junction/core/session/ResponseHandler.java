package dev.junction.core.session;

import dev.junction.core.protocol.ResponseTracker;
import io.netty.buffer.ByteBuf;

/** Receives a server's response to one command. All calls happen on the connection's event loop. */
public interface ResponseHandler {

    /** One wire frame (header included); the handler owns it and must release or pass it on. */
    void onFrame(ServerConnection server, ByteBuf frame);

    /** The response is complete; {@code tracker} tells what it was. */
    void onComplete(ServerConnection server, ResponseTracker tracker);

    /** The connection failed before the response was complete (the command may have executed). */
    void onFailure(ServerConnection server, Throwable cause);
}
