package dev.junction.core.session;

import dev.junction.core.protocol.ResponseTracker;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * A command Junction sends a server for its own purposes (bringing it up to date, re-preparing); its
 * response is consumed, not relayed.
 *
 * @param description for error messages
 * @param payload builds the command payload when the step runs
 * @param kind the response's shape
 * @param onSuccess what to remember once the server answered without error
 */
public record InternalStep(String description, Function<ByteBufAllocator, ByteBuf> payload, ResponseTracker.Kind kind,
        BiConsumer<ServerConnection, ResponseTracker> onSuccess) {
}
