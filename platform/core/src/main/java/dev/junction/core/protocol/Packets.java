package dev.junction.core.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import java.nio.charset.StandardCharsets;

/** Writing packets: framing (splitting at 16 MB), OK, ERR and EOF. */
public final class Packets {

    /** Largest payload of one frame; a payload this long is continued in the next frame. */
    public static final int MAX_FRAME_PAYLOAD = 0xffffff;

    /** Payloads up to this size are copied behind their header into one buffer (cheaper than a composite). */
    static final int COPY_LIMIT = 8192;

    private Packets() {
    }

    /**
     * Writes {@code payload} as one logical packet starting at {@code seq}, split into frames as needed,
     * without flushing. Takes ownership of {@code payload}. Returns the sequence id after the packet. A payload
     * whose reader index sits just past a header announcing its length (as {@link PacketDecoder} leaves a
     * command it took whole from a read) is written in place, header included, and may be changed: only its
     * readable bytes are the caller's to rely on.
     */
    public static int write(Channel ch, int seq, ByteBuf payload) {
        ByteBuf frame = singleFrame(ch.alloc(), seq, payload);
        if (frame != null) {
            ch.write(frame, ch.voidPromise());
            return (seq + 1) & 0xff;
        }
        int len = payload.readableBytes();
        if (len < MAX_FRAME_PAYLOAD) {
            ByteBuf header = ch.alloc().ioBuffer(4).writeMediumLE(len).writeByte(seq);
            ch.write(ch.alloc().compositeDirectBuffer(2).addComponents(true, header, payload), ch.voidPromise());
            return (seq + 1) & 0xff;
        }
        try {
            int offset = payload.readerIndex();
            int end = payload.writerIndex();
            while (true) {
                int chunk = Math.min(MAX_FRAME_PAYLOAD, end - offset);
                ByteBuf header = ch.alloc().ioBuffer(4).writeMediumLE(chunk).writeByte(seq);
                ch.write(header, ch.voidPromise());
                if (chunk > 0) {
                    ch.write(payload.retainedSlice(offset, chunk), ch.voidPromise());
                }
                seq = (seq + 1) & 0xff;
                offset += chunk;
                if (chunk < MAX_FRAME_PAYLOAD) {
                    return seq;
                }
            }
        } finally {
            payload.release();
        }
    }

    /**
     * Like {@link #write} followed by a flush; when {@code direct} (the channel is {@link DirectSend#eligible}) a
     * payload that fits one frame is sent at once, past the outbound buffer.
     */
    public static int writeAndFlush(Channel ch, int seq, ByteBuf payload, boolean direct) {
        ByteBuf frame = direct ? singleFrame(ch.alloc(), seq, payload) : null;
        if (frame == null) {
            seq = write(ch, seq, payload);
            ch.flush();
            return seq;
        }
        DirectSend.writeAndFlush(ch, frame, true);
        return (seq + 1) & 0xff;
    }

    /**
     * {@code payload} as one frame, taking ownership, or null (payload untouched) when it needs a composite or more
     * than one frame. A payload still behind its own header (a command the PacketDecoder took whole from a read) is
     * framed in place with the new sequence id, nothing allocated or copied; a small one is copied behind a header.
     */
    private static ByteBuf singleFrame(ByteBufAllocator alloc, int seq, ByteBuf payload) {
        int len = payload.readableBytes();
        int at = payload.readerIndex() - 4;
        if (at >= 0 && len < MAX_FRAME_PAYLOAD && payload.getUnsignedMediumLE(at) == len) {
            payload.setByte(at + 3, seq);
            return payload.readerIndex(at);
        }
        if (len <= COPY_LIMIT) {
            ByteBuf frame = alloc.ioBuffer(4 + len).writeMediumLE(len).writeByte(seq);
            frame.writeBytes(payload, payload.readerIndex(), len);
            payload.release();
            return frame;
        }
        return null;
    }

    public static ByteBuf ok(ByteBufAllocator alloc, long affectedRows, long insertId, int status, int warnings) {
        ByteBuf b = alloc.buffer(16);
        b.writeByte(0x00);
        Wire.writeLenEnc(b, affectedRows);
        Wire.writeLenEnc(b, insertId);
        b.writeShortLE(status).writeShortLE(warnings);
        return b;
    }

    /** An OK packet carrying a human-readable info string (what clients print after "Query OK"). */
    public static ByteBuf ok(ByteBufAllocator alloc, int status, String info) {
        ByteBuf b = ok(alloc, 0, 0, status, 0);
        if (info != null && !info.isEmpty()) {
            b.writeBytes(info.getBytes(StandardCharsets.UTF_8));
        }
        return b;
    }

    public static ByteBuf err(ByteBufAllocator alloc, int code, String sqlState, String message) {
        byte[] msg = message.getBytes(StandardCharsets.UTF_8);
        ByteBuf b = alloc.buffer(9 + msg.length);
        b.writeByte(0xff).writeShortLE(code).writeByte('#');
        b.writeBytes((sqlState + "00000").substring(0, 5).getBytes(StandardCharsets.US_ASCII));
        b.writeBytes(msg);
        return b;
    }

    public static ByteBuf eof(ByteBufAllocator alloc, int status, int warnings) {
        return alloc.buffer(5).writeByte(0xfe).writeShortLE(warnings).writeShortLE(status);
    }
}
