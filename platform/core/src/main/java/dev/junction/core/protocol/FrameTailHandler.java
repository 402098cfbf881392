package dev.junction.core.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.ByteToMessageDecoder;

/**
 * The part of a frame decoder that {@link ByteToMessageDecoder} would do, kept small for the common case of a
 * read that holds whole frames: the read goes to {@link #decode} as it came (which may pass that very buffer on),
 * and only the tail of a read that ends inside a frame is kept, with the next read appended to it.
 */
abstract class FrameTailHandler extends ChannelInboundHandlerAdapter {

    /** The start of an incomplete frame (and what followed it so far), or null. */
    private ByteBuf pending;
    private boolean firedInBatch;

    /**
     * Passes on what {@code in} completes (through {@link #fire}) and returns what is left of it, still owned by
     * the caller, or null when nothing is left to keep (ownership of {@code in} went on, or it was released).
     */
    protected abstract ByteBuf decode(ChannelHandlerContext ctx, ByteBuf in);

    /** Called when the channel closes or the handler is removed: release what the subclass holds. */
    protected void released() {
    }

    protected final void fire(ChannelHandlerContext ctx, Object decoded) {
        firedInBatch = true;
        ctx.fireChannelRead(decoded);
    }

    @Override
    public final void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf)) {
            ctx.fireChannelRead(msg);
            return;
        }
        ByteBuf in = (ByteBuf) msg;
        if (pending != null) {
            in = ByteToMessageDecoder.MERGE_CUMULATOR.cumulate(ctx.alloc(), pending, in); // releases what it copies
            pending = null;
        }
        ByteBuf rest = decode(ctx, in);
        if (rest != null) {
            if (rest.isReadable()) {
                pending = rest;
            } else {
                rest.release();
            }
        }
    }

    @Override
    public final void channelReadComplete(ChannelHandlerContext ctx) {
        // like ByteToMessageDecoder: with auto-read off, a read that completed nothing asks for the next one
        boolean fired = firedInBatch;
        firedInBatch = false;
        if (!fired && !ctx.channel().config().isAutoRead()) {
            ctx.read();
        }
        ctx.fireChannelReadComplete();
    }

    @Override
    public final void channelInactive(ChannelHandlerContext ctx) {
        release();
        ctx.fireChannelInactive();
    }

    @Override
    public final void handlerRemoved(ChannelHandlerContext ctx) {
        release();
    }

    private void release() {
        if (pending != null) {
            pending.release();
            pending = null;
        }
        released();
    }
}
