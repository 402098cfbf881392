package dev.junction.ssh;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** Reads a stream on its own thread; tests wait for text to appear. */
final class StreamCollector {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private boolean closed;

    StreamCollector(InputStream in) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[1024];
            try {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    synchronized (this) {
                        bytes.write(buf, 0, n);
                        notifyAll();
                    }
                }
            } catch (IOException e) {
                // channel closed
            } finally {
                synchronized (this) {
                    closed = true;
                    notifyAll();
                }
            }
        }, "test-stream-collector");
        t.setDaemon(true);
        t.start();
    }

    synchronized String text() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** Waits until the collected text contains {@code expected}; returns the text. */
    synchronized String await(String expected, long millis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        while (!text().contains(expected)) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0 || closed) {
                throw new AssertionError("expected " + show(expected) + " in " + show(text()));
            }
            wait(left);
        }
        return text();
    }

    static String show(String s) {
        return "\"" + s.replace("\r", "\\r").replace("\n", "\\n") + "\"";
    }
}
