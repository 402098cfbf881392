package dev.junction.core.protocol;

import io.netty.buffer.ByteBuf;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/** Length-encoded integers and strings, NUL-terminated strings. Reads throw {@link MalformedPacketException} on short input. */
public final class Wire {

    private Wire() {
    }

    public static long readLenEnc(ByteBuf in) {
        need(in, 1);
        int first = in.readUnsignedByte();
        if (first < 0xfb) {
            return first;
        }
        switch (first) {
            case 0xfc:
                need(in, 2);
                return in.readUnsignedShortLE();
            case 0xfd:
                need(in, 3);
                return in.readUnsignedMediumLE();
            case 0xfe:
                need(in, 8);
                return in.readLongLE();
            default:
                throw new MalformedPacketException("bad length-encoded integer prefix 0x" + Integer.toHexString(first));
        }
    }

    public static void writeLenEnc(ByteBuf out, long n) {
        if (n < 0xfb && n >= 0) {
            out.writeByte((int) n);
        } else if (n >= 0 && n < 0x10000) {
            out.writeByte(0xfc).writeShortLE((int) n);
        } else if (n >= 0 && n < 0x1000000) {
            out.writeByte(0xfd).writeMediumLE((int) n);
        } else {
            out.writeByte(0xfe).writeLongLE(n);
        }
    }

    public static byte[] readLenEncBytes(ByteBuf in) {
        long len = readLenEnc(in);
        if (len < 0 || len > in.readableBytes()) {
            throw new MalformedPacketException("length-encoded string longer than the packet");
        }
        byte[] b = new byte[(int) len];
        in.readBytes(b);
        return b;
    }

    public static void writeLenEncBytes(ByteBuf out, byte[] b) {
        writeLenEnc(out, b.length);
        out.writeBytes(b);
    }

    public static void writeLenEncString(ByteBuf out, String s) {
        writeLenEncBytes(out, s.getBytes(StandardCharsets.UTF_8));
    }

    public static String readNulString(ByteBuf in, Charset cs) {
        int end = in.indexOf(in.readerIndex(), in.writerIndex(), (byte) 0);
        if (end < 0) {
            throw new MalformedPacketException("string not NUL-terminated");
        }
        String s = in.toString(in.readerIndex(), end - in.readerIndex(), cs);
        in.readerIndex(end + 1);
        return s;
    }

    /** Reads a NUL-terminated string, or the rest of the packet when there is no NUL. */
    public static String readNulOrEofString(ByteBuf in, Charset cs) {
        int end = in.indexOf(in.readerIndex(), in.writerIndex(), (byte) 0);
        if (end < 0) {
            String s = in.toString(cs);
            in.readerIndex(in.writerIndex());
            return s;
        }
        return readNulString(in, cs);
    }

    public static void writeNulString(ByteBuf out, String s) {
        out.writeBytes(s.getBytes(StandardCharsets.UTF_8)).writeByte(0);
    }

    public static void need(ByteBuf in, int n) {
        if (in.readableBytes() < n) {
            throw new MalformedPacketException("packet too short");
        }
    }
}
