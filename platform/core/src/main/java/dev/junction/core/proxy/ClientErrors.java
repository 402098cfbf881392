package dev.junction.core.proxy;

import dev.junction.core.protocol.ErrorCodes;
import dev.junction.core.protocol.Packets;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What to do with a failure on a client channel: an ERR packet where the protocol allows, then close. */
final class ClientErrors {

    private static final Logger LOG = LoggerFactory.getLogger(ClientErrors.class);

    private ClientErrors() {
    }

    static void report(ChannelHandlerContext ctx, Throwable cause, int seq) {
        Throwable c = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        if (!ctx.channel().isActive()) {
            return;
        }
        if (c instanceof TooLongFrameException) {
            errAndClose(ctx, seq, ErrorCodes.NET_PACKET_TOO_LARGE, "08S01", "Got a packet bigger than 'max_packet_size' bytes");
        } else if (c instanceof CorruptedFrameException) {
            errAndClose(ctx, seq, ErrorCodes.NET_PACKETS_OUT_OF_ORDER, "08S01", "Got packets out of order");
        } else if (c instanceof IOException) {
            LOG.debug("Client {} connection error: {}", ctx.channel().remoteAddress(), c.toString());
            ctx.close();
        } else {
            LOG.warn("Closing client {} after an unexpected error", ctx.channel().remoteAddress(), c);
            errAndClose(ctx, seq, ErrorCodes.MALFORMED_PACKET, "HY000", "Junction: internal error, connection closed");
        }
    }

    static void errAndClose(ChannelHandlerContext ctx, int seq, int code, String state, String message) {
        Packets.write(ctx.channel(), seq & 0xff, Packets.err(ctx.alloc(), code, state, message));
        ctx.writeAndFlush(ctx.alloc().buffer(0)).addListener(ChannelFutureListener.CLOSE);
    }
}
