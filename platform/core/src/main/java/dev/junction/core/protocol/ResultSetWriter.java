package dev.junction.core.protocol;

import io.netty.channel.Channel;
import io.netty.buffer.ByteBuf;
import java.util.List;

/** Writes a small text-protocol result set that Junction produces itself (e.g. SHOW PROCESSLIST). */
public final class ResultSetWriter {

    private static final int TYPE_VAR_STRING = 0xfd;
    private static final int TYPE_LONGLONG = 0x08;
    private static final int UTF8MB4_GENERAL_CI = 45;
    private static final int BINARY = 63;

    private ResultSetWriter() {
    }

    /** A column: its name and whether it is numeric. */
    public record Column(String name, boolean numeric) {
    }

    /**
     * Writes the result set starting at {@code seq}; returns the next sequence id. Null values are SQL NULL.
     *
     * @param metadataFlag whether the client negotiated MariaDB's metadata caching (the column count then says that
     *        the definitions follow)
     */
    public static int write(Channel ch, int seq, List<Column> columns, List<List<String>> rows, int status,
            boolean metadataFlag) {
        ByteBuf count = ch.alloc().buffer(10);
        Wire.writeLenEnc(count, columns.size());
        if (metadataFlag) {
            count.writeByte(1);
        }
        seq = Packets.write(ch, seq, count);
        for (Column c : columns) {
            ByteBuf def = ch.alloc().buffer(64);
            Wire.writeLenEncString(def, "def");
            Wire.writeLenEncString(def, "");
            Wire.writeLenEncString(def, "");
            Wire.writeLenEncString(def, "");
            Wire.writeLenEncString(def, c.name());
            Wire.writeLenEncString(def, c.name());
            def.writeByte(0x0c);
            def.writeShortLE(c.numeric() ? BINARY : UTF8MB4_GENERAL_CI);
            def.writeIntLE(c.numeric() ? 21 : 4096);
            def.writeByte(c.numeric() ? TYPE_LONGLONG : TYPE_VAR_STRING);
            def.writeShortLE(c.numeric() ? 0x20 : 0);
            def.writeByte(0);
            def.writeZero(2);
            seq = Packets.write(ch, seq, def);
        }
        seq = Packets.write(ch, seq, Packets.eof(ch.alloc(), status, 0));
        for (List<String> row : rows) {
            ByteBuf r = ch.alloc().buffer(64);
            for (String v : row) {
                if (v == null) {
                    r.writeByte(0xfb);
                } else {
                    Wire.writeLenEncString(r, v);
                }
            }
            seq = Packets.write(ch, seq, r);
        }
        return Packets.write(ch, seq, Packets.eof(ch.alloc(), status, 0));
    }
}
