package dev.junction.core.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Splits a server's byte stream at frame boundaries without cutting it into frames: each read yields one
 * buffer holding every complete frame (4-byte header included) received so far, so a response that
 * arrives in one read is relayed as one buffer, not one per packet. An incomplete frame waits for more.
 */
public final class FrameRunDecoder extends ByteToMessageDecoder {

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        int start = in.readerIndex();
        int end = in.writerIndex();
        int i = start;
        while (end - i >= 4) {
            int next = i + 4 + in.getUnsignedMediumLE(i);
            if (next > end) {
                break;
            }
            i = next;
        }
        if (i > start) {
            out.add(in.readRetainedSlice(i - start));
        }
    }
}
