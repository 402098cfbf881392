package dev.junction.core.protocol;

import io.netty.buffer.ByteBuf;

/** Recognising OK, ERR and EOF payloads and reading their status flags without copying. */
public final class ResponsePackets {

    private ResponsePackets() {
    }

    public static boolean isErr(ByteBuf payload, int length) {
        return length > 0 && payload.getUnsignedByte(payload.readerIndex()) == 0xff;
    }

    public static boolean isOk(ByteBuf payload, int length) {
        return length >= 7 && payload.getUnsignedByte(payload.readerIndex()) == 0x00;
    }

    /** An EOF packet: 0xfe and shorter than 9 bytes (a row may also start with 0xfe, but is then longer). */
    public static boolean isEof(ByteBuf payload, int length) {
        return length > 0 && length < 9 && payload.getUnsignedByte(payload.readerIndex()) == 0xfe;
    }

    /** Status flags of an EOF payload (0 when too short). */
    public static int eofStatus(ByteBuf payload, int length) {
        return length >= 5 ? payload.getUnsignedShortLE(payload.readerIndex() + 3) : 0;
    }

    /** Status flags of an OK payload. */
    public static int okStatus(ByteBuf payload) {
        ByteBuf in = payload.duplicate();
        in.skipBytes(1);
        Wire.readLenEnc(in);
        Wire.readLenEnc(in);
        Wire.need(in, 2);
        return in.readUnsignedShortLE();
    }
}
