package dev.junction.core.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.ByteToMessageDecoder;

/**
 * Splits a server's byte stream at frame boundaries without cutting it into frames: each read yields one
 * buffer holding every complete frame (4-byte header included) received so far, so a response that
 * arrives in one read is relayed as one buffer, not one per packet. An incomplete frame waits for more.
 *
 * <p>Not a {@link ByteToMessageDecoder}: in the common case a read holds complete frames only, and that very
 * buffer is passed on (no derived buffer, no output list per read). Only a read that ends inside a frame keeps
 * its tail, which the next read is appended to.
 */
public final class FrameRunDecoder extends ChannelInboundHandlerAdapter {

    /** The start of an incomplete frame (and what followed it so far), or null. */
    private ByteBuf pending;
    private boolean firedInBatch;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf)) {
            ctx.fireChannelRead(msg);
            return;
        }
        ByteBuf in = (ByteBuf) msg;
        if (pending != null) {
            in = ByteToMessageDecoder.MERGE_CUMULATOR.cumulate(ctx.alloc(), pending, in); // releases what it copies
            pending = null;
        }
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
        if (complete == end) {
            if (complete == start) {
                in.release();
                return;
            }
            firedInBatch = true;
            ctx.fireChannelRead(in); // the whole buffer: ownership passes on
            return;
        }
        if (complete > start) {
            firedInBatch = true;
            ByteBuf frames = in.retainedSlice(start, complete - start);
            in.readerIndex(complete);
            pending = in;
            ctx.fireChannelRead(frames);
        } else {
            pending = in;
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        // like ByteToMessageDecoder: with auto-read off, a read that completed no frame asks for the next one
        boolean fired = firedInBatch;
        firedInBatch = false;
        if (!fired && pending != null && !ctx.channel().config().isAutoRead()) {
            ctx.read();
        }
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        releasePending();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        releasePending();
    }

    private void releasePending() {
        if (pending != null) {
            pending.release();
            pending = null;
        }
    }
}
