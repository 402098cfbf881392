package dev.junction.core.it;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * A loopback relay in front of a real MariaDB server that clears MariaDB's extended capabilities in the server's
 * handshake, so Junction sees the server as a MySQL or pre-10.6 MariaDB server would look: no metadata caching.
 * Everything else passes through unchanged.
 */
final class MetadataHidingRelay implements AutoCloseable {

    private final ServerSocket listener;
    private final int serverPort;

    MetadataHidingRelay(int serverPort) throws IOException {
        this.serverPort = serverPort;
        listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread accept = new Thread(this::acceptLoop, "metadata-hiding-relay");
        accept.setDaemon(true);
        accept.start();
    }

    int port() {
        return listener.getLocalPort();
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket();
                server.connect(new InetSocketAddress("127.0.0.1", serverPort), 5000);
                pump(server, client, true);
                pump(client, server, false);
            } catch (IOException e) {
                // closed, or the server refused: the caller sees the connection fail
            }
        }
    }

    private static void pump(Socket from, Socket to, boolean handshakeFirst) {
        Thread t = new Thread(() -> {
            try (from; to) {
                InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream();
                if (handshakeFirst) {
                    out.write(hideExtendedCapabilities(new DataInputStream(in)));
                    out.flush();
                }
                in.transferTo(out);
            } catch (IOException e) {
                // one side closed: both are closed by try-with-resources
            }
        }, "metadata-hiding-relay-pump");
        t.setDaemon(true);
        t.start();
    }

    /** Reads the handshake frame and returns it with the extended capabilities zeroed and CLIENT_MYSQL set. */
    private static byte[] hideExtendedCapabilities(DataInputStream in) throws IOException {
        byte[] h = new byte[4];
        in.readFully(h);
        int len = (h[0] & 0xff) | (h[1] & 0xff) << 8 | (h[2] & 0xff) << 16;
        byte[] frame = new byte[4 + len];
        System.arraycopy(h, 0, frame, 0, 4);
        in.readFully(frame, 4, len);
        int p = 5;
        while (frame[p] != 0) {
            p++;
        }
        p += 1 + 4 + 8 + 1;
        frame[p] |= 1; // CLIENT_MYSQL: no extended capabilities follow
        p += 2 + 1 + 2 + 2 + 1 + 6;
        for (int i = 0; i < 4; i++) {
            frame[p + i] = 0;
        }
        return frame;
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }
}
