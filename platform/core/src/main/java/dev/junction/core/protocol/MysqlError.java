package dev.junction.core.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;

/** The content of an ERR packet. */
public record MysqlError(int code, String sqlState, String message) {

    /** Parses an ERR payload (starting with 0xff), leaving the buffer's reader index untouched. */
    public static MysqlError parse(ByteBuf payload) {
        ByteBuf in = payload.duplicate();
        Wire.need(in, 3);
        in.skipBytes(1);
        int code = in.readUnsignedShortLE();
        String state = "HY000";
        if (in.readableBytes() >= 6 && in.getByte(in.readerIndex()) == '#') {
            in.skipBytes(1);
            state = in.readCharSequence(5, StandardCharsets.US_ASCII).toString();
        }
        return new MysqlError(code, state, in.toString(StandardCharsets.UTF_8));
    }

    public ByteBuf encode(ByteBufAllocator alloc) {
        return Packets.err(alloc, code, sqlState, message);
    }

    @Override
    public String toString() {
        return "ERROR " + code + " (" + sqlState + "): " + message;
    }
}
