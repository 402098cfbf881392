package dev.junction.core.metadata;

import dev.junction.api.topology.ServerAddress;
import dev.junction.core.auth.NativePassword;
import dev.junction.core.protocol.Capabilities;
import dev.junction.core.protocol.Commands;
import dev.junction.core.protocol.HandshakeResponse;
import dev.junction.core.protocol.HandshakeV10;
import dev.junction.core.protocol.MysqlError;
import dev.junction.core.protocol.ServerErrorException;
import dev.junction.core.protocol.Wire;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A minimal blocking MySQL text-protocol client for the metadata thread: mysql_native_password login,
 * {@code COM_QUERY}, text result sets. Never used on an event loop. Not thread-safe.
 */
final class MetaClient implements Closeable {

    private static final int UTF8MB4_GENERAL_CI = 45;
    private static final int CAPS = Capabilities.LONG_PASSWORD | Capabilities.LONG_FLAG | Capabilities.PROTOCOL_41
            | Capabilities.TRANSACTIONS | Capabilities.SECURE_CONNECTION | Capabilities.PLUGIN_AUTH;

    private final ServerAddress address;
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private int seq;

    private MetaClient(ServerAddress address, Socket socket) throws IOException {
        this.address = address;
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    /** Connects and logs in; throws on any failure (the socket is closed then). */
    static MetaClient connect(ServerAddress address, String user, String password, String database,
            int connectTimeoutMillis, int readTimeoutMillis) throws IOException {
        Socket s = new Socket();
        try {
            s.setTcpNoDelay(true);
            s.setSoTimeout(readTimeoutMillis);
            s.connect(new InetSocketAddress(address.host(), address.port()), connectTimeoutMillis);
            MetaClient c = new MetaClient(address, s);
            c.login(user, password, database);
            return c;
        } catch (IOException | RuntimeException e) {
            try {
                s.close();
            } catch (IOException ignored) {
                // already failing
            }
            throw e;
        }
    }

    ServerAddress address() {
        return address;
    }

    private void login(String user, String password, String database) throws IOException {
        seq = 0;
        byte[] first = readPacket();
        HandshakeV10 hs;
        try {
            hs = HandshakeV10.decode(Unpooled.wrappedBuffer(first));
        } catch (ServerErrorException e) {
            throw new Refused(address + ": " + e.getMessage(), e.error());
        } catch (RuntimeException e) {
            throw new IOException(address + ": bad handshake: " + e.getMessage());
        }
        byte[] stage1 = password.isEmpty() ? new byte[0]
                : NativePassword.sha1(password.getBytes(StandardCharsets.UTF_8));
        int caps = CAPS | (database.isEmpty() ? 0 : Capabilities.CONNECT_WITH_DB);
        HandshakeResponse r = new HandshakeResponse(caps, 0, 1 << 24, UTF8MB4_GENERAL_CI, user,
                NativePassword.token(stage1, hs.scramble()), database.isEmpty() ? null : database,
                NativePassword.PLUGIN);
        ByteBuf b = r.encode(UnpooledByteBufAllocator.DEFAULT);
        byte[] payload = new byte[b.readableBytes()];
        b.readBytes(payload);
        b.release();
        writePacket(payload);
        while (true) {
            byte[] p = readPacket();
            int head = p.length == 0 ? -1 : p[0] & 0xff;
            if (head == 0x00) {
                return;
            }
            if (head == 0xff) {
                MysqlError err = MysqlError.parse(Unpooled.wrappedBuffer(p));
                throw new Refused(address + ": login refused: " + err, err);
            }
            if (head == 0xfe) {
                ByteBuf sw = Unpooled.wrappedBuffer(p, 1, p.length - 1);
                String plugin = Wire.readNulString(sw, StandardCharsets.US_ASCII);
                if (!NativePassword.PLUGIN.equals(plugin)) {
                    throw new IOException(address + ": server asks for auth plugin " + plugin
                            + "; the metadata account must use mysql_native_password");
                }
                byte[] scramble = new byte[Math.min(NativePassword.SCRAMBLE_LENGTH, sw.readableBytes())];
                sw.readBytes(scramble);
                writePacket(NativePassword.token(stage1, scramble));
                continue;
            }
            throw new IOException(address + ": unexpected login packet 0x" + Integer.toHexString(head));
        }
    }

    /** Runs a statement and returns its rows (an empty result for OK answers). ERR → {@link SqlError}. */
    ResultRows query(String sql) throws IOException {
        seq = 0;
        byte[] cmd = sql.getBytes(StandardCharsets.UTF_8);
        byte[] payload = new byte[cmd.length + 1];
        payload[0] = (byte) Commands.COM_QUERY;
        System.arraycopy(cmd, 0, payload, 1, cmd.length);
        writePacket(payload);
        byte[] p = readPacket();
        int head = p.length == 0 ? -1 : p[0] & 0xff;
        if (head == 0xff) {
            throw new SqlError(MysqlError.parse(Unpooled.wrappedBuffer(p)));
        }
        if (head == 0x00) {
            return new ResultRows(List.of(), List.of());
        }
        ByteBuf cc = Unpooled.wrappedBuffer(p);
        int columns = (int) Wire.readLenEnc(cc);
        List<String> names = new ArrayList<>(columns);
        for (int i = 0; i < columns; i++) {
            ByteBuf def = Unpooled.wrappedBuffer(readPacket());
            for (int k = 0; k < 4; k++) {
                Wire.readLenEncBytes(def); // catalog, schema, table, org_table
            }
            names.add(new String(Wire.readLenEncBytes(def), StandardCharsets.UTF_8));
        }
        byte[] eof = readPacket(); // no DEPRECATE_EOF: an EOF ends the column definitions
        if (eof.length == 0 || (eof[0] & 0xff) != 0xfe) {
            throw new IOException(address + ": expected EOF after column definitions");
        }
        List<String[]> rows = new ArrayList<>();
        while (true) {
            byte[] r = readPacket();
            int h = r.length == 0 ? -1 : r[0] & 0xff;
            if (h == 0xfe && r.length < 9) {
                break;
            }
            if (h == 0xff) {
                throw new SqlError(MysqlError.parse(Unpooled.wrappedBuffer(r)));
            }
            ByteBuf rb = Unpooled.wrappedBuffer(r);
            String[] row = new String[columns];
            for (int i = 0; i < columns; i++) {
                if ((rb.getByte(rb.readerIndex()) & 0xff) == 0xfb) {
                    rb.skipBytes(1);
                } else {
                    row[i] = new String(Wire.readLenEncBytes(rb), StandardCharsets.UTF_8);
                }
            }
            rows.add(row);
        }
        return new ResultRows(names, rows);
    }

    private void writePacket(byte[] payload) throws IOException {
        byte[] frame = new byte[payload.length + 4];
        frame[0] = (byte) payload.length;
        frame[1] = (byte) (payload.length >>> 8);
        frame[2] = (byte) (payload.length >>> 16);
        frame[3] = (byte) seq++;
        System.arraycopy(payload, 0, frame, 4, payload.length);
        out.write(frame);
        out.flush();
    }

    private byte[] readPacket() throws IOException {
        ByteArrayOutputStream all = null;
        while (true) {
            byte[] h = in.readNBytes(4);
            if (h.length < 4) {
                throw new EOFException(address + ": connection closed by the server");
            }
            int len = (h[0] & 0xff) | (h[1] & 0xff) << 8 | (h[2] & 0xff) << 16;
            seq = (h[3] & 0xff) + 1;
            byte[] body = in.readNBytes(len);
            if (body.length < len) {
                throw new EOFException(address + ": connection closed by the server");
            }
            if (len < 0xffffff && all == null) {
                return body;
            }
            if (all == null) {
                all = new ByteArrayOutputStream();
            }
            all.write(body);
            if (len < 0xffffff) {
                return all.toByteArray();
            }
        }
    }

    @Override
    public void close() {
        try {
            seq = 0;
            writePacket(new byte[] {(byte) Commands.COM_QUIT});
        } catch (IOException ignored) {
            // closing anyway
        }
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    /** The server answered a metadata query with an error (e.g. the table does not exist). */
    static final class SqlError extends IOException {
        private static final long serialVersionUID = 1L;
        private final transient MysqlError error;

        SqlError(MysqlError error) {
            super(error.toString());
            this.error = error;
        }

        int code() {
            return error.code();
        }
    }

    /** The server answered the login with an error: it is up, but would not let the account in. */
    static final class Refused extends IOException {
        private static final long serialVersionUID = 1L;
        private final transient MysqlError error;

        Refused(String message, MysqlError error) {
            super(message);
            this.error = error;
        }

        MysqlError error() {
            return error;
        }
    }

    /** The error a server answered with, or null when {@code e} is not an error answer. */
    static MysqlError answered(Throwable e) {
        return e instanceof SqlError ? ((SqlError) e).error : e instanceof Refused ? ((Refused) e).error : null;
    }
}
