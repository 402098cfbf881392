package dev.junction.core.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.TooLongFrameException;

/**
 * Decodes a client's byte stream into {@link Packet}s: reads the 3-byte length and sequence id, joins the
 * frames of a packet of 16 MB or more (each continuation must carry the next sequence id) and refuses
 * packets longer than the configured limit.
 *
 * <p>Not a {@link ByteToMessageDecoder}: a client's read usually holds exactly one command, and then the read
 * buffer itself becomes the packet's payload (its reader index past the header) instead of a slice of it, with
 * no output list per read. Only a read that ends inside a frame keeps its tail, which the next read is appended
 * to. After a refused packet the rest of the stream is dropped (the connection is being closed).
 */
public final class PacketDecoder extends FrameTailHandler {

    private volatile int maxPacketSize;
    private CompositeByteBuf partial;
    private int partialSeq;
    private int partialFrames;
    private boolean failed;

    public PacketDecoder(int maxPacketSize) {
        this.maxPacketSize = maxPacketSize;
    }

    /** Changes the limit, e.g. from the small pre-login limit to the configured one. */
    public void maxPacketSize(int bytes) {
        this.maxPacketSize = bytes;
    }

    @Override
    protected ByteBuf decode(ChannelHandlerContext ctx, ByteBuf in) {
        if (failed) {
            in.release();
            return null;
        }
        try {
            return decodePackets(ctx, in);
        } catch (TooLongFrameException | CorruptedFrameException e) {
            // the stream cannot be resynchronised: drop what is left
            failed = true;
            in.release();
            releasePartial();
            ctx.fireExceptionCaught(e);
            return null;
        }
    }

    /**
     * Fires every complete packet in {@code in}. Returns {@code in} with its reader index at the first byte not
     * decoded yet, or null when its last frame took the buffer itself as payload.
     */
    private ByteBuf decodePackets(ChannelHandlerContext ctx, ByteBuf in) {
        while (in.readableBytes() >= 4) {
            int start = in.readerIndex();
            int len = in.getUnsignedMediumLE(start);
            int seq = in.getUnsignedByte(start + 3);
            long total = (partial == null ? 0 : partial.readableBytes()) + (long) len;
            if (total > maxPacketSize) {
                throw new TooLongFrameException("packet of more than " + maxPacketSize + " bytes");
            }
            int end = start + 4 + len;
            if (in.writerIndex() < end) {
                return in;
            }
            if (partial != null && seq != ((partialSeq + partialFrames) & 0xff)) {
                throw new CorruptedFrameException("continuation frame with sequence id " + seq);
            }
            boolean last = end == in.writerIndex();
            ByteBuf payload;
            if (last) {
                payload = in.readerIndex(start + 4); // the buffer itself: ownership passes to the packet
            } else {
                payload = in.retainedSlice(start + 4, len);
                in.readerIndex(end);
            }
            if (partial != null) {
                partial.addComponent(true, payload);
                partialFrames++;
                if (len < Packets.MAX_FRAME_PAYLOAD) {
                    CompositeByteBuf whole = partial;
                    partial = null;
                    fire(ctx, new Packet(partialSeq, partialFrames, whole));
                }
            } else if (len == Packets.MAX_FRAME_PAYLOAD) {
                partial = ctx.alloc().compositeBuffer(Integer.MAX_VALUE);
                partial.addComponent(true, payload);
                partialSeq = seq;
                partialFrames = 1;
            } else {
                fire(ctx, new Packet(seq, 1, payload));
            }
            if (last) {
                return null;
            }
        }
        return in;
    }

    @Override
    protected void released() {
        releasePartial();
    }

    private void releasePartial() {
        if (partial != null) {
            partial.release();
            partial = null;
        }
    }
}
