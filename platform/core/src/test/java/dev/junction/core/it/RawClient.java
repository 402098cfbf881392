package dev.junction.core.it;

import dev.junction.core.auth.NativePassword;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A minimal blocking MySQL protocol client for tests that need exact packets. */
public final class RawClient implements AutoCloseable {

    public final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    public byte[] handshake;
    /** The sequence id of the last frame read. */
    public int lastSeq = -1;

    public RawClient(int port) throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setSoTimeout(10_000);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    /** Reads the handshake and logs in with mysql_native_password; returns the answer packet's payload. */
    public byte[] login(String user, String password) throws IOException {
        return login(user, password, 0);
    }

    /**
     * Like {@link #login(String, String)}, asking for MariaDB extended capabilities when {@code mariadbCaps} is not 0
     * (the CLIENT_MYSQL bit is then left clear and the capabilities go in the last 4 reserved bytes).
     */
    public byte[] login(String user, String password, int mariadbCaps) throws IOException {
        handshake = readPayload();
        int p = 1;
        while (handshake[p] != 0) {
            p++;
        }
        p += 1 + 4;
        byte[] scramble = new byte[20];
        System.arraycopy(handshake, p, scramble, 0, 8);
        p += 8 + 1 + 2 + 1 + 2 + 2 + 1 + 10;
        System.arraycopy(handshake, p, scramble, 8, 12);
        byte[] token = NativePassword.token(password.isEmpty() ? new byte[0]
                : NativePassword.sha1(password.getBytes(StandardCharsets.UTF_8)), scramble);
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int caps = 0x00000200 | 0x00008000 | 0x00080000 | 0x00000004 | 0x00010000 | 0x00020000 | 0x00002000
                | (mariadbCaps == 0 ? 0x00000001 : 0);
        writeIntLE(b, caps);
        writeIntLE(b, 1 << 24);
        b.write(45);
        b.write(new byte[19]);
        writeIntLE(b, mariadbCaps);
        b.write(user.getBytes(StandardCharsets.UTF_8));
        b.write(0);
        b.write(token.length);
        b.write(token);
        b.write("mysql_native_password".getBytes(StandardCharsets.US_ASCII));
        b.write(0);
        writePacket(1, b.toByteArray());
        return readPayload();
    }

    public void writePacket(int seq, byte[] payload) throws IOException {
        byte[] frame = new byte[4 + payload.length];
        frame[0] = (byte) payload.length;
        frame[1] = (byte) (payload.length >> 8);
        frame[2] = (byte) (payload.length >> 16);
        frame[3] = (byte) seq;
        System.arraycopy(payload, 0, frame, 4, payload.length);
        out.write(frame);
        out.flush();
    }

    public void writeRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Sends a command with a binary argument; returns the first answer packet's payload. */
    public byte[] command(int command, byte[] arg) throws IOException {
        byte[] p = new byte[1 + arg.length];
        p[0] = (byte) command;
        System.arraycopy(arg, 0, p, 1, arg.length);
        writePacket(0, p);
        return readPayload();
    }

    /**
     * The MariaDB extended capabilities the last handshake offered (0 when its CLIENT_MYSQL bit is set). Call after
     * {@link #login}.
     */
    public int offeredMariadbCapabilities() {
        int p = 1;
        while (handshake[p] != 0) {
            p++;
        }
        p += 1 + 4 + 8 + 1;
        int capsLow = (handshake[p] & 0xff) | (handshake[p + 1] & 0xff) << 8;
        p += 2 + 1 + 2 + 2 + 1 + 6;
        if ((capsLow & 1) != 0) {
            return 0;
        }
        return (handshake[p] & 0xff) | (handshake[p + 1] & 0xff) << 8 | (handshake[p + 2] & 0xff) << 16
                | (handshake[p + 3] & 0xff) << 24;
    }

    public byte[] command(int command, String arg) throws IOException {
        byte[] a = arg.getBytes(StandardCharsets.UTF_8);
        byte[] p = new byte[1 + a.length];
        p[0] = (byte) command;
        System.arraycopy(a, 0, p, 1, a.length);
        writePacket(0, p);
        return readPayload();
    }

    public byte[] readPayload() throws IOException {
        byte[] h = new byte[4];
        in.readFully(h);
        int len = (h[0] & 0xff) | (h[1] & 0xff) << 8 | (h[2] & 0xff) << 16;
        lastSeq = h[3] & 0xff;
        byte[] p = new byte[len];
        in.readFully(p);
        return p;
    }

    /** Reads until the peer closes; returns whether it closed within the socket timeout. */
    public boolean closedByPeer() {
        try {
            InputStream s = socket.getInputStream();
            byte[] buf = new byte[4096];
            while (s.read(buf) >= 0) {
                // drain
            }
            return true;
        } catch (IOException e) {
            return e.getMessage() != null && e.getMessage().contains("reset");
        }
    }

    public static boolean isOk(byte[] p) {
        return p.length > 0 && p[0] == 0;
    }

    public static boolean isErr(byte[] p) {
        return p.length > 0 && (p[0] & 0xff) == 0xff;
    }

    public static int errorCode(byte[] p) {
        return (p[1] & 0xff) | (p[2] & 0xff) << 8;
    }

    public static String text(byte[] p) {
        return new String(Arrays.copyOfRange(p, 0, p.length), StandardCharsets.UTF_8);
    }

    private static void writeIntLE(ByteArrayOutputStream b, int v) {
        b.write(v);
        b.write(v >> 8);
        b.write(v >> 16);
        b.write(v >> 24);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
