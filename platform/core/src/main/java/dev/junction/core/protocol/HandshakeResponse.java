package dev.junction.core.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;

/**
 * The client's HandshakeResponse41. The database name is kept byte for byte (ISO-8859-1 decoded).
 * {@code mariadbCapabilities} are MariaDB's extended capabilities, sent in the last 4 reserved bytes when
 * {@link Capabilities#CLIENT_MYSQL} is clear (0 otherwise).
 * {@code authResponse} is raw bytes; {@code database} and
 * {@code authPlugin} are null when absent.
 */
public record HandshakeResponse(int capabilities, int mariadbCapabilities, int maxPacketSize, int collation,
        String user, byte[] authResponse, String database, String authPlugin) {

    /** Payload length of an SSLRequest: capabilities, max packet, collation and 23 reserved bytes. */
    public static final int SSL_REQUEST_LENGTH = 32;

    public static HandshakeResponse decode(ByteBuf payload) {
        ByteBuf in = payload.duplicate();
        Wire.need(in, SSL_REQUEST_LENGTH);
        int caps = in.readIntLE();
        if ((caps & Capabilities.PROTOCOL_41) == 0) {
            throw new MalformedPacketException("clients without protocol 4.1 are not supported");
        }
        int maxPacket = in.readIntLE();
        int collation = in.readUnsignedByte();
        in.skipBytes(19);
        int extended = in.readIntLE();
        int mariadbCaps = (caps & Capabilities.CLIENT_MYSQL) == 0 ? extended : 0;
        String user = Wire.readNulString(in, StandardCharsets.UTF_8);
        byte[] auth;
        if ((caps & Capabilities.PLUGIN_AUTH_LENENC_CLIENT_DATA) != 0) {
            auth = Wire.readLenEncBytes(in);
        } else if ((caps & Capabilities.SECURE_CONNECTION) != 0) {
            Wire.need(in, 1);
            int n = in.readUnsignedByte();
            Wire.need(in, n);
            auth = new byte[n];
            in.readBytes(auth);
        } else {
            auth = Wire.readNulString(in, StandardCharsets.ISO_8859_1).getBytes(StandardCharsets.ISO_8859_1);
        }
        String db = null;
        if ((caps & Capabilities.CONNECT_WITH_DB) != 0 && in.isReadable()) {
            db = Wire.readNulOrEofString(in, StandardCharsets.ISO_8859_1);
            if (db.isEmpty()) {
                db = null;
            }
        }
        String plugin = null;
        if ((caps & Capabilities.PLUGIN_AUTH) != 0 && in.isReadable()) {
            plugin = Wire.readNulOrEofString(in, StandardCharsets.UTF_8);
        }
        return new HandshakeResponse(caps, mariadbCaps, maxPacket, collation, user, auth, db, plugin);
    }

    public ByteBuf encode(ByteBufAllocator alloc) {
        ByteBuf b = alloc.buffer(128);
        b.writeIntLE(capabilities).writeIntLE(maxPacketSize).writeByte(collation).writeZero(19)
                .writeIntLE((capabilities & Capabilities.CLIENT_MYSQL) == 0 ? mariadbCapabilities : 0);
        Wire.writeNulString(b, user);
        if ((capabilities & Capabilities.PLUGIN_AUTH_LENENC_CLIENT_DATA) != 0) {
            Wire.writeLenEncBytes(b, authResponse);
        } else {
            b.writeByte(authResponse.length).writeBytes(authResponse);
        }
        if ((capabilities & Capabilities.CONNECT_WITH_DB) != 0) {
            b.writeBytes((database == null ? "" : database).getBytes(StandardCharsets.ISO_8859_1)).writeByte(0);
        }
        if ((capabilities & Capabilities.PLUGIN_AUTH) != 0) {
            Wire.writeNulString(b, authPlugin == null ? "" : authPlugin);
        }
        return b;
    }
}
