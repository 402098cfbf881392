package dev.junction.core.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;

/** One logical packet (frames of a packet of 16 MB or more already joined): sequence id of its first frame and the payload. */
public final class Packet extends DefaultByteBufHolder {

    private final int seq;
    private final int frames;

    public Packet(int seq, int frames, ByteBuf payload) {
        super(payload);
        this.seq = seq;
        this.frames = frames;
    }

    public int seq() {
        return seq;
    }

    /** How many wire frames carried it (its last frame's sequence id is {@code seq + frames - 1}). */
    public int frames() {
        return frames;
    }

    /** The sequence id that follows this packet. */
    public int nextSeq() {
        return (seq + frames) & 0xff;
    }

    public ByteBuf payload() {
        return content();
    }

    @Override
    public String toString() {
        return "Packet(seq=" + seq + ", frames=" + frames + ", length=" + content().readableBytes() + ")";
    }
}
