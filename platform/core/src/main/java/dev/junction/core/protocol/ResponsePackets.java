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

    // The same, for a payload at {@code at} of {@code b} (no derived buffer).

    public static boolean isErr(ByteBuf b, int at, int length) {
        return length > 0 && b.getUnsignedByte(at) == 0xff;
    }

    public static boolean isOk(ByteBuf b, int at, int length) {
        return length >= 7 && b.getUnsignedByte(at) == 0x00;
    }

    public static boolean isEof(ByteBuf b, int at, int length) {
        return length > 0 && length < 9 && b.getUnsignedByte(at) == 0xfe;
    }

    public static int eofStatus(ByteBuf b, int at, int length) {
        return length >= 5 ? b.getUnsignedShortLE(at + 3) : 0;
    }

    /** Status flags of an OK payload of {@code length} bytes at {@code at}. */
    public static int okStatus(ByteBuf b, int at, int length) {
        int i = at + 1;
        i += lenEncSize(b, i, at + length);
        i += lenEncSize(b, i, at + length);
        if (i + 2 > at + length) {
            throw new MalformedPacketException("packet too short");
        }
        return b.getUnsignedShortLE(i);
    }

    private static int lenEncSize(ByteBuf b, int i, int end) {
        if (i >= end) {
            throw new MalformedPacketException("packet too short");
        }
        int first = b.getUnsignedByte(i);
        int size = first < 0xfb ? 1 : first == 0xfc ? 3 : first == 0xfd ? 4 : first == 0xfe ? 9 : -1;
        if (size < 0) {
            throw new MalformedPacketException("bad length-encoded integer prefix 0x" + Integer.toHexString(first));
        }
        if (i + size > end) {
            throw new MalformedPacketException("packet too short");
        }
        return size;
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
