package dev.junction.core.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.TooLongFrameException;
import java.util.List;

/**
 * Decodes a client's byte stream into {@link Packet}s: reads the 3-byte length and sequence id, joins the
 * frames of a packet of 16 MB or more (each continuation must carry the next sequence id) and refuses
 * packets longer than the configured limit.
 */
public final class PacketDecoder extends ByteToMessageDecoder {

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
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        try {
            decodePackets(ctx, in, out);
        } catch (TooLongFrameException | CorruptedFrameException e) {
            // the stream cannot be resynchronised: drop what is left (the connection is being closed)
            failed = true;
            in.skipBytes(in.readableBytes());
            releasePartial();
            throw e;
        }
    }

    private void decodePackets(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (in.readableBytes() >= 4) {
            int start = in.readerIndex();
            int len = in.getUnsignedMediumLE(start);
            int seq = in.getUnsignedByte(start + 3);
            long total = (partial == null ? 0 : partial.readableBytes()) + (long) len;
            if (total > maxPacketSize) {
                throw new TooLongFrameException("packet of more than " + maxPacketSize + " bytes");
            }
            if (in.readableBytes() < 4 + len) {
                return;
            }
            in.skipBytes(4);
            ByteBuf payload = in.readRetainedSlice(len);
            if (partial != null) {
                if (seq != ((partialSeq + partialFrames) & 0xff)) {
                    payload.release();
                    throw new CorruptedFrameException("continuation frame with sequence id " + seq);
                }
                partial.addComponent(true, payload);
                partialFrames++;
                if (len < Packets.MAX_FRAME_PAYLOAD) {
                    CompositeByteBuf whole = partial;
                    partial = null;
                    out.add(new Packet(partialSeq, partialFrames, whole));
                }
            } else if (len == Packets.MAX_FRAME_PAYLOAD) {
                partial = ctx.alloc().compositeBuffer(Integer.MAX_VALUE);
                partial.addComponent(true, payload);
                partialSeq = seq;
                partialFrames = 1;
            } else {
                out.add(new Packet(seq, 1, payload));
            }
        }
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        releasePartial();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        releasePartial();
        super.channelInactive(ctx);
    }

    private void releasePartial() {
        if (partial != null) {
            partial.release();
            partial = null;
        }
    }
}
