package dev.junction.core.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelOutboundHandler;
import io.netty.channel.epoll.AbstractEpollStreamChannel;
import io.netty.channel.unix.Socket;
import java.io.IOException;
import java.util.Map;

/**
 * Sends a buffer with one send(2) straight from the event loop when the channel is an epoll socket with nothing
 * queued, past Netty's outbound buffer (its entry, promise and flush bookkeeping, about a tenth of Junction's own
 * CPU per forwarded statement). Anything else goes the pipeline's way: another transport, bytes already queued, a
 * composite buffer, a call from another thread, a failed send (the pipeline meets the error again and handles it
 * as always), and what one send could not take (queued behind, so bytes keep their order and back-pressure works
 * as before). Only for channels whose pipeline has no outbound handler (see {@link #eligible}): a TLS handler
 * must see every byte.
 */
public final class DirectSend {

    private DirectSend() {
    }

    /** Whether {@code ch} may be written directly: an epoll socket whose pipeline has no outbound handler. */
    public static boolean eligible(Channel ch) {
        try {
            if (!(ch instanceof AbstractEpollStreamChannel)) {
                return false;
            }
        } catch (LinkageError e) { // no native transport classes here: NIO carries the sockets
            return false;
        }
        for (Map.Entry<String, ChannelHandler> e : ch.pipeline()) {
            if (e.getValue() instanceof ChannelOutboundHandler) {
                return false;
            }
        }
        return true;
    }

    /**
     * Writes {@code buf} (taking ownership) without a flush: sent at once when {@code direct} (the channel is
     * {@link #eligible}) and nothing is queued, otherwise queued for the next flush.
     */
    public static void write(Channel ch, ByteBuf buf, boolean direct) {
        if (!direct || !sendNow(ch, buf)) {
            ch.write(buf, ch.voidPromise());
        }
    }

    /** Like {@link #write} followed by a flush. */
    public static void writeAndFlush(Channel ch, ByteBuf buf, boolean direct) {
        if (!direct || !sendNow(ch, buf)) {
            ch.writeAndFlush(buf, ch.voidPromise());
        }
    }

    /** Whether a flush of {@code ch} has anything to do: always unless it is {@link #eligible} ({@code direct}). */
    public static boolean needsFlush(Channel ch, boolean direct) {
        return !direct || !nothingQueued(ch);
    }

    private static boolean nothingQueued(Channel ch) {
        ChannelOutboundBuffer out = ch.unsafe().outboundBuffer();
        return out != null && out.totalPendingWriteBytes() == 0;
    }

    /**
     * Sends what the socket takes now. True: all of it went and {@code buf} was released. False: the caller still
     * owns {@code buf}, whose readable bytes are what is left to write.
     */
    private static boolean sendNow(Channel ch, ByteBuf buf) {
        int from = buf.readerIndex();
        int to = buf.writerIndex();
        if (!buf.hasMemoryAddress() || from == to || !ch.eventLoop().inEventLoop() || !ch.isActive()
                || !nothingQueued(ch)) {
            return false;
        }
        int sent;
        try {
            sent = ((Socket) ((AbstractEpollStreamChannel) ch).fd()).sendAddress(buf.memoryAddress(), from, to);
        } catch (IOException e) {
            return false;
        }
        if (sent == to - from) {
            buf.release();
            return true;
        }
        buf.readerIndex(from + sent);
        return false;
    }
}
