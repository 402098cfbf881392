package dev.junction.core.proxy;

import dev.junction.core.protocol.Commands;
import dev.junction.core.protocol.ResponseTracker;
import dev.junction.core.protocol.ServerErrorException;
import dev.junction.core.session.ResponseHandler;
import dev.junction.core.session.ServerConnection;
import dev.junction.core.session.ServerConnectionListener;
import dev.junction.core.session.ServerSync;
import dev.junction.core.session.ServerTimeouts;
import io.netty.buffer.ByteBuf;
import java.util.function.Consumer;

/** Sends {@code KILL QUERY <thread id>} to a server through a separate short-lived connection. */
final class KillQuery {

    private KillQuery() {
    }

    /** Must run on {@code victim}'s event loop; {@code done} gets null on success. */
    static void send(ServerConnection victim, ServerTimeouts timeouts, Consumer<Throwable> done) {
        ServerConnection killer = new ServerConnection(victim.address(), victim.channel().eventLoop(),
                victim.login().withDatabase(null), timeouts, ServerConnectionListener.NONE);
        String sql = "KILL QUERY " + victim.threadId();
        killer.whenReady(err -> {
            if (err != null) {
                done.accept(err);
                return;
            }
            killer.send(ServerSync.command(killer.channel().alloc(), Commands.COM_QUERY, sql), ResponseTracker.Kind.SINGLE,
                    new ResponseHandler() {
                        @Override
                        public void onFrames(ServerConnection server, ByteBuf frames) {
                            frames.release();
                        }

                        @Override
                        public void onComplete(ServerConnection server, ResponseTracker tracker) {
                            server.close(null);
                            done.accept(tracker.error() == null ? null : new ServerErrorException(tracker.error()));
                        }

                        @Override
                        public void onFailure(ServerConnection server, Throwable cause) {
                            done.accept(cause);
                        }
                    });
        });
    }
}
