package dev.junction.core.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;

/**
 * Splits a server's byte stream at frame boundaries without cutting it into frames: each read yields one
 * buffer holding every complete frame (4-byte header included) received so far, so a response that
 * arrives in one read is relayed as one buffer, not one per packet. An incomplete frame waits for more.
 * In the common case a read holds complete frames only, and that very buffer is passed on (no derived
 * buffer, no output list per read).
 */
public final class FrameRunDecoder extends FrameTailHandler {

    @Override
    protected ByteBuf decode(ChannelHandlerContext ctx, ByteBuf in) {
        int start = in.readerIndex();
        int end = in.writerIndex();
        int complete = start;
        while (end - complete >= 4) {
            int next = complete + 4 + in.getUnsignedMediumLE(complete);
            if (next > end || next < 0) {
                break;
            }
            complete = next;
        }
        if (complete == end && complete > start) {
            fire(ctx, in); // the whole buffer: ownership passes on
            return null;
        }
        if (complete > start) {
            ByteBuf frames = in.retainedSlice(start, complete - start);
            in.readerIndex(complete);
            fire(ctx, frames);
        }
        return in;
    }
}
