package dev.junction.core.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The server's initial handshake packet (protocol version 10). {@code mariadbCapabilities} are MariaDB's extended
 * capabilities, present on the wire only when {@link Capabilities#CLIENT_MYSQL} is clear (0 otherwise).
 */
public record HandshakeV10(String serverVersion, long connectionId, byte[] scramble, int capabilities,
        int mariadbCapabilities, int collation, int status, String authPlugin) {

    public ByteBuf encode(ByteBufAllocator alloc) {
        ByteBuf b = alloc.buffer(128);
        b.writeByte(10);
        Wire.writeNulString(b, serverVersion);
        b.writeIntLE((int) connectionId);
        b.writeBytes(scramble, 0, 8).writeByte(0);
        b.writeShortLE(capabilities & 0xffff);
        b.writeByte(collation);
        b.writeShortLE(status);
        b.writeShortLE(capabilities >>> 16);
        b.writeByte(scramble.length + 1);
        b.writeZero(6);
        b.writeIntLE((capabilities & Capabilities.CLIENT_MYSQL) == 0 ? mariadbCapabilities : 0);
        b.writeBytes(scramble, 8, scramble.length - 8).writeByte(0);
        Wire.writeNulString(b, authPlugin);
        return b;
    }

    public static HandshakeV10 decode(ByteBuf payload) {
        ByteBuf in = payload.duplicate();
        Wire.need(in, 1);
        int protocol = in.readUnsignedByte();
        if (protocol == 0xff) {
            throw new ServerErrorException(MysqlError.parse(payload));
        }
        if (protocol != 10) {
            throw new MalformedPacketException("unsupported handshake protocol version " + protocol);
        }
        String version = Wire.readNulString(in, StandardCharsets.UTF_8);
        Wire.need(in, 4 + 8 + 1 + 2);
        long connectionId = in.readUnsignedIntLE();
        byte[] part1 = new byte[8];
        in.readBytes(part1);
        in.skipBytes(1);
        int caps = in.readUnsignedShortLE();
        int collation = 0;
        int status = 0;
        int authDataLen = 0;
        int mariadbCaps = 0;
        byte[] part2 = new byte[0];
        String plugin = "mysql_native_password";
        if (in.readableBytes() >= 16) {
            collation = in.readUnsignedByte();
            status = in.readUnsignedShortLE();
            caps |= in.readUnsignedShortLE() << 16;
            authDataLen = in.readUnsignedByte();
            in.skipBytes(6);
            int extended = in.readIntLE();
            if ((caps & Capabilities.CLIENT_MYSQL) == 0) {
                mariadbCaps = extended;
            }
            if ((caps & Capabilities.SECURE_CONNECTION) != 0) {
                int n = Math.max(13, authDataLen - 8);
                Wire.need(in, n);
                part2 = new byte[n];
                in.readBytes(part2);
                if (part2.length > 0 && part2[part2.length - 1] == 0) {
                    part2 = Arrays.copyOf(part2, part2.length - 1);
                }
            }
            if ((caps & Capabilities.PLUGIN_AUTH) != 0 && in.isReadable()) {
                plugin = Wire.readNulOrEofString(in, StandardCharsets.UTF_8);
            }
        }
        byte[] scramble = new byte[part1.length + part2.length];
        System.arraycopy(part1, 0, scramble, 0, 8);
        System.arraycopy(part2, 0, scramble, 8, part2.length);
        return new HandshakeV10(version, connectionId, scramble, caps, mariadbCaps, collation, status, plugin);
    }
}
