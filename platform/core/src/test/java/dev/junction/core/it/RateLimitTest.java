package dev.junction.core.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import dev.junction.core.admin.SessionControlService;
import dev.junction.core.session.ClientSession;
import dev.junction.ratelimit.RateLimitCommand;
import dev.junction.ratelimit.RateLimitStatementFilter;
import dev.junction.ratelimit.WhitelistLoginFilter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;
import org.junit.After;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * The whitelist-ratelimit bundle's throttles, breakers and connection cap on a live proxy, driven by MariaDB
 * Connector/J against the test MariaDB servers: a 200 statements/s limit holds within 10% over 10 s, concurrency
 * places come back exactly once however a statement ends (error, local answer, KILL, client gone), the breaker
 * opens on real server errors (a dropped table) and closes after recovery, and the connection cap holds under 500
 * concurrent connection attempts.
 */
public class RateLimitTest {

    private static JunctionFixture junction;
    private RateLimitStatementFilter filter;
    private WhitelistLoginFilter logins;

    @BeforeClass
    public static void up() throws Exception {
        junction = JunctionFixture.start(Map.of());
        TestDatabases.onEveryServer("CREATE TABLE IF NOT EXISTS test.rl_orders (id INT PRIMARY KEY, v INT)",
                "REPLACE INTO test.rl_orders VALUES (1, 10), (2, 20)");
    }

    @AfterClass
    public static void down() {
        junction.close();
    }

    private RateLimitStatementFilter register(String... kv) {
        RateLimitStatementFilter f = new RateLimitStatementFilter();
        Map<String, Object> props = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            props.put(kv[i], kv[i + 1]);
        }
        assertNull(f.configure(props));
        junction.services.statementFilters().add(f, "ratelimit", 0, -1);
        junction.services.resultFilters().add(f, "ratelimit", 0, -1);
        junction.services.loginFilters().add(f, "ratelimit", 0, -1);
        filter = f;
        return f;
    }

    @After
    public void unregister() {
        if (filter != null) {
            junction.services.statementFilters().remove(filter);
            junction.services.resultFilters().remove(filter);
            junction.services.loginFilters().remove(filter);
            filter = null;
        }
        if (logins != null) {
            junction.services.loginFilters().remove(logins);
            logins = null;
        }
    }

    private static Connection connect() throws SQLException {
        return DriverManager.getConnection(junction.mariadbUrl(""));
    }

    private static void await(String what, int expected, IntSupplier actual) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (actual.getAsInt() != expected && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(what, expected, actual.getAsInt());
    }

    private static int errorOf(Statement s, String sql) {
        try {
            s.execute(sql);
            return 0;
        } catch (SQLException e) {
            return e.getErrorCode();
        }
    }

    @Test(timeout = 60_000)
    public void aLimitOf200StatementsASecondHoldsWithinTenPercentOverTenSeconds() throws Exception {
        register("throttle.api.user", "app@app#demo", "throttle.api.type", "SELECT", "throttle.api.qps", "200",
                "throttle.api.max_wait", "2s");
        int clients = 16;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        AtomicLong measureFrom = new AtomicLong();
        AtomicLong measureTo = new AtomicLong();
        AtomicInteger done = new AtomicInteger();
        AtomicInteger throttled = new AtomicInteger();
        List<Future<?>> futures = new ArrayList<>();
        List<Connection> conns = new ArrayList<>();
        try {
            for (int i = 0; i < clients; i++) {
                conns.add(connect());
            }
            CountDownLatch start = new CountDownLatch(1);
            for (Connection c : conns) {
                futures.add(pool.submit((Callable<Void>) () -> {
                    start.await();
                    try (Statement s = c.createStatement()) {
                        for (long now = System.nanoTime(); now < measureTo.get(); now = System.nanoTime()) {
                            try (ResultSet rs = s.executeQuery("SELECT v FROM rl_orders WHERE id = 1")) {
                                rs.next();
                                long end = System.nanoTime();
                                if (end >= measureFrom.get() && end < measureTo.get()) {
                                    done.incrementAndGet();
                                }
                            } catch (SQLException e) {
                                assertEquals(e.getMessage(), RateLimitStatementFilter.THROTTLED, e.getErrorCode());
                                throttled.incrementAndGet();
                            }
                        }
                    }
                    return null;
                }));
            }
            long t0 = System.nanoTime();
            // one second to fill the pipeline (the burst and the first reservations), then ten measured seconds
            measureFrom.set(t0 + TimeUnit.SECONDS.toNanos(1));
            measureTo.set(t0 + TimeUnit.SECONDS.toNanos(11));
            start.countDown();
            for (Future<?> f : futures) {
                f.get(40, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
            for (Connection c : conns) {
                c.close();
            }
        }
        int n = done.get();
        System.out.println("RateLimitTest: " + n + " statements in the 10 measured seconds at a 200/s limit");
        assertTrue("statements in 10 s at 200/s: " + n + " (throttled " + throttled + ")", n >= 1800 && n <= 2200);
        assertEquals("16 clients wait at most 80 ms each for their slot: none waits 2 s", 0, throttled.get());
        List<String> row = row(filter, "throttle.api");
        assertTrue("statements were delayed: " + row, Long.parseLong(row.get(6)) > 0);
    }

    @Test(timeout = 60_000)
    public void overTheLimitAfterMaxWaitAStatementGetsTheDocumentedErrorAndDigestRulesMatchAnyLiterals()
            throws Exception {
        register("throttle.one.digest", "select v from rl_orders where id = ?", "throttle.one.qps", "0.2",
                "throttle.one.max_wait", "50ms");
        try (Connection c = connect(); Statement s = c.createStatement()) {
            assertEquals(0, errorOf(s, "SELECT v FROM rl_orders WHERE id = 1"));
            try {
                s.executeQuery("select v from rl_orders where id=2 /* other literal, same digest */");
                fail("one statement per 5 s");
            } catch (SQLException e) {
                assertEquals(1226, e.getErrorCode());
                assertEquals("42000", e.getSQLState());
                assertTrue(e.getMessage(), e.getMessage().contains(
                        "Junction throttle 'one': more than 0.2 statements a second (waited "));
            }
            assertEquals("another digest passes", 0, errorOf(s, "SELECT v FROM rl_orders WHERE id > 1"));
            assertEquals("the session is still usable", 0, errorOf(s, "SELECT 1"));
        }
    }

    @Test(timeout = 60_000)
    public void preparedStatementExecutionsAreThrottledAndReleasedLikeTextStatements() throws Exception {
        RateLimitStatementFilter f = register("throttle.ps.digest", "select v from rl_orders where id = ?",
                "throttle.ps.qps", "0.2", "throttle.ps.concurrency", "1", "throttle.ps.max_wait", "50ms");
        try (Connection c = DriverManager.getConnection(junction.mariadbUrl("useServerPrepStmts=true"));
                java.sql.PreparedStatement ps = c.prepareStatement("SELECT v FROM rl_orders WHERE id = ?")) {
            ps.setInt(1, 1);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next());
                assertEquals(10, rs.getInt(1));
            }
            assertEquals("the execution gave its place back", "0", row(f, "throttle.ps").get(4));
            ps.setInt(1, 2);
            try {
                ps.executeQuery().close();
                fail("one execution per 5 s");
            } catch (SQLException e) {
                assertEquals(1226, e.getErrorCode());
                assertTrue(e.getMessage(), e.getMessage().contains("Junction throttle 'ps'"));
            }
            try (Statement s = c.createStatement()) {
                assertEquals("the text statement of the same digest shares the bucket", 1226,
                        errorOf(s, "select v from rl_orders where id = 2"));
                assertEquals(0, errorOf(s, "SELECT 1"));
            }
            assertEquals(List.of("1", "2"), List.of(row(f, "throttle.ps").get(5), row(f, "throttle.ps").get(7)));
        }
    }

    @Test(timeout = 60_000)
    public void concurrencyPlacesComeBackExactlyOnceHoweverAStatementEnds() throws Exception {
        RateLimitStatementFilter f = register("throttle.c.user", "app", "throttle.c.concurrency", "2",
                "throttle.c.max_wait", "20s");
        IntSupplier running = () -> Integer.parseInt(row(f, "throttle.c").get(4));
        try (Connection c = connect(); Statement s = c.createStatement()) {
            assertEquals(1146, errorOf(s, "SELECT * FROM no_such_table"));
            assertEquals("after a server error", 0, running.getAsInt());
            for (String local : List.of("BEGIN", "COMMIT", "SET @x = 1", "USE test", "SHOW PROCESSLIST",
                    "SELECT @x", "ROLLBACK")) {
                assertEquals(local, 0, errorOf(s, local));
                assertEquals("after " + local, 0, running.getAsInt());
            }
            assertEquals("KILL of an unknown session", 1094, errorOf(s, "KILL 999999"));
            assertEquals(0, running.getAsInt());
        }
        // four clients, two places: two run, two wait (delayed, not blocking), all finish, nothing stays held
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Long>> sleeps = new ArrayList<>();
            long t0 = System.nanoTime();
            for (int i = 0; i < 4; i++) {
                sleeps.add(pool.submit(() -> {
                    try (Connection c = connect(); Statement s = c.createStatement()) {
                        s.execute("SELECT SLEEP(0.5)");
                    }
                    return System.nanoTime();
                }));
            }
            int maxSeen = 0;
            for (Future<Long> fu : sleeps) {
                while (!fu.isDone()) {
                    maxSeen = Math.max(maxSeen, running.getAsInt());
                    Thread.sleep(5);
                }
                fu.get();
            }
            long took = System.nanoTime() - t0;
            assertTrue("never more than 2 at once: " + maxSeen, maxSeen <= 2 && maxSeen >= 1);
            assertTrue("two rounds of 0.5 s: " + took / 1_000_000 + " ms", took >= TimeUnit.MILLISECONDS.toNanos(950));
            await("all places back", 0, running);

            // KILL (connection) and a client that goes away while its statement runs
            Set<Long> before = sessionIds();
            Connection victim = connect();
            Set<Long> mine = sessionIds();
            mine.removeAll(before);
            assertEquals(1, mine.size());
            Future<Integer> killed = pool.submit(() -> {
                try (Statement s = victim.createStatement()) {
                    s.execute("SELECT SLEEP(20)");
                    return 0;
                } catch (SQLException e) {
                    return -1;
                }
            });
            await("the sleeping statement holds a place", 1, running);
            try (Connection c = connect(); Statement s = c.createStatement()) {
                s.execute("KILL " + mine.iterator().next());
            }
            assertEquals(-1, (int) killed.get(20, TimeUnit.SECONDS));
            await("a killed session's statement gives its place back", 0, running);
            victim.close();

            Connection leaver = connect();
            Future<?> leaving = pool.submit(() -> {
                try (Statement s = leaver.createStatement()) {
                    s.execute("SELECT SLEEP(20)");
                } catch (SQLException e) {
                    // aborted below
                }
                return null;
            });
            await("the sleeping statement holds a place", 1, running);
            leaver.abort(Runnable::run);
            leaving.get(20, TimeUnit.SECONDS);
            await("a client that left gives its place back", 0, running);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test(timeout = 60_000)
    public void atTheLimitTheLeastRecentlyUsedIdleSessionIsClosedWhenConfigured() throws Exception {
        logins = new WhitelistLoginFilter();
        assertNull(logins.configure(Map.of("max_connections.user.app@app#demo", "2", "at_limit", "close_idle")));
        logins.sessionControl(new SessionControlService(junction.admin));
        junction.services.loginFilters().add(logins, "whitelist", Integer.MIN_VALUE, -1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (Connection busy = connect(); Connection idle = connect()) {
            try (Statement s = idle.createStatement()) {
                s.execute("SELECT 1");
            }
            Future<Integer> sleeping = pool.submit(() -> {
                try (Statement s = busy.createStatement()) {
                    s.execute("SELECT SLEEP(2)");
                    return 0;
                } catch (SQLException e) {
                    return e.getErrorCode();
                }
            });
            awaitCommand("Query");
            try (Connection third = connect(); Statement s = third.createStatement()) {
                assertEquals("the third login got in", 0, errorOf(s, "SELECT 1"));
                assertEquals(1, logins.closedIdle());
                await("the idle session was closed", 0, () -> {
                    try {
                        return idle.isValid(1) ? 1 : 0;
                    } catch (SQLException e) {
                        return 0;
                    }
                });
                await("its place came back", 2, logins::openConnections);
                assertEquals("the busy session's statement was not disturbed", 0, (int) sleeping.get(20, TimeUnit.SECONDS));
                Future<Integer> sleeping2 = pool.submit(() -> {
                    try (Statement s2 = busy.createStatement()) {
                        s2.execute("SELECT SLEEP(2)");
                        return 0;
                    }
                });
                Future<Integer> sleeping3 = pool.submit(() -> errorOf(s, "SELECT SLEEP(2)"));
                awaitCommand("Query");
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (junction.server.sessions().all().stream().filter(x -> "Query".equals(x.command())).count() < 2
                        && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                }
                try {
                    connect().close();
                    fail("no session is idle: the login over the limit is refused");
                } catch (SQLException e) {
                    assertEquals(1040, e.getErrorCode());
                }
                assertEquals(0, (int) sleeping2.get(20, TimeUnit.SECONDS));
                assertEquals(0, (int) sleeping3.get(20, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
        await("every place comes back", 0, logins::openConnections);
    }

    /** Waits until some session runs a command of that name (SHOW PROCESSLIST's Command). */
    private static void awaitCommand(String command) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (junction.server.sessions().all().stream().noneMatch(x -> command.equals(x.command()))
                && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }

    @Test(timeout = 60_000)
    public void countersAreShownOnTheSqlAdminFace() throws Exception {
        RateLimitStatementFilter f = register("throttle.none.concurrency", "0", "throttle.none.max_wait", "0",
                "throttle.none.table", "rl_nothing");
        junction.admin.addCommand("ratelimit", new RateLimitCommand(f), "throttles and breakers");
        try (Connection c = connect(); Statement s = c.createStatement()) {
            assertEquals(1226, errorOf(s, "SELECT * FROM rl_nothing"));
            assertEquals(0, errorOf(s, "SELECT 1"));
        }
        try (Connection a = DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + junction.port + "/",
                "root@proxysys", JunctionFixture.ADMIN_PASSWORD); Statement s = a.createStatement();
                ResultSet rs = s.executeQuery("show proxyratelimit")) {
            assertTrue(rs.next());
            assertEquals("throttle.none", rs.getString("rule"));
            assertEquals("table rl_nothing", rs.getString("covers"));
            assertEquals("0", rs.getString("running"));
            assertEquals("0", rs.getString("allowed"));
            assertEquals("1", rs.getString("rejected"));
            s.execute("alter proxyratelimit list");
        }
    }

    /** The rule's row of the ratelimit admin command (rule, covers, limits, state, running, allowed, delayed, rejected). */
    private static List<String> row(RateLimitStatementFilter f, String rule) {
        try {
            for (List<String> r : new RateLimitCommand(f).execute(List.of()).rows()) {
                if (r.get(0).equals(rule)) {
                    return r;
                }
            }
        } catch (dev.junction.api.admin.AdminCommandException e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("no " + rule);
    }

    private static Set<Long> sessionIds() {
        Set<Long> ids = new HashSet<>();
        for (ClientSession s : junction.server.sessions().all()) {
            ids.add(s.id());
        }
        return ids;
    }

    @Test(timeout = 60_000)
    public void theBreakerOpensOnRealServerErrorsFailsFastAndClosesAfterRecovery() throws Exception {
        TestDatabases.onEveryServer("CREATE TABLE IF NOT EXISTS test.rl_flaky (id INT PRIMARY KEY)",
                "REPLACE INTO test.rl_flaky VALUES (1)");
        RateLimitStatementFilter f = register("breaker.flaky.table", "rl_flaky", "breaker.flaky.error_rate", "50",
                "breaker.flaky.min_statements", "5", "breaker.flaky.window", "10s", "breaker.flaky.cool_down", "1s",
                "breaker.flaky.trials", "2");
        try (Connection c = connect(); Statement s = c.createStatement()) {
            assertEquals(0, errorOf(s, "SELECT * FROM rl_flaky WHERE id = 1"));
            TestDatabases.onEveryServer("DROP TABLE test.rl_flaky");
            int serverErrors = 0;
            int code;
            while ((code = errorOf(s, "SELECT * FROM rl_flaky WHERE id = 1")) == 1146) {
                serverErrors++;
                assertTrue("opens after 4 errors of 5 statements", serverErrors <= 4);
            }
            assertEquals("fails fast once open", 3168, code);
            assertEquals(4, serverErrors);
            try {
                s.executeQuery("SELECT * FROM rl_flaky");
                fail("open");
            } catch (SQLException e) {
                assertEquals(3168, e.getErrorCode());
                assertEquals("HY000", e.getSQLState());
                assertTrue(e.getMessage(), e.getMessage().contains("Junction circuit breaker 'flaky' is open (4 of 5 "
                        + "statements failed in 10000ms); the statement was not run"));
            }
            assertEquals("other tables are not affected", 0, errorOf(s, "SELECT * FROM rl_orders"));
            assertTrue(row(f, "breaker.flaky").get(3).startsWith("open"));

            TestDatabases.onEveryServer("CREATE TABLE test.rl_flaky (id INT PRIMARY KEY)");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while ((code = errorOf(s, "SELECT * FROM rl_flaky WHERE id = 1")) == 3168 && System.nanoTime() < deadline) {
                Thread.sleep(50); // the cool-down is a time: poll until the trials are let through
            }
            assertEquals("a trial statement runs after the cool-down", 0, code);
            assertEquals("the second trial", 0, errorOf(s, "SELECT * FROM rl_flaky WHERE id = 1"));
            assertEquals("closed, opened 1x", row(f, "breaker.flaky").get(3));
            for (int i = 0; i < 5; i++) {
                assertEquals(0, errorOf(s, "SELECT * FROM rl_flaky WHERE id = 1"));
            }
        }
    }

    @Test(timeout = 120_000)
    public void theConnectionCapHoldsUnder500ConcurrentConnectionAttempts() throws Exception {
        logins = new WhitelistLoginFilter();
        assertNull(logins.configure(Map.of("max_connections.user.app@app#demo", "40")));
        junction.services.loginFilters().add(logins, "whitelist", Integer.MIN_VALUE, -1);
        int attempts = 500;
        ExecutorService pool = Executors.newFixedThreadPool(100);
        List<Connection> open = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicInteger refused = new AtomicInteger();
        List<String> unexpected = java.util.Collections.synchronizedList(new ArrayList<>());
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int i = 0; i < attempts; i++) {
                fs.add(pool.submit(() -> {
                    go.await();
                    try {
                        open.add(DriverManager.getConnection(junction.mariadbUrl("connectTimeout=30000")));
                    } catch (SQLException e) {
                        if (e.getErrorCode() == 1040) {
                            refused.incrementAndGet();
                        } else {
                            unexpected.add(e.getErrorCode() + " " + e.getMessage());
                        }
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : fs) {
                f.get(100, TimeUnit.SECONDS);
            }
            assertEquals("other failures", List.of(), unexpected);
            assertEquals("connections that got in", 40, open.size());
            assertEquals(attempts - 40, refused.get());
            assertEquals(40, logins.openConnections());
            try (Statement s = open.get(0).createStatement(); ResultSet rs = s.executeQuery("SELECT 1")) {
                assertTrue(rs.next());
            }
        } finally {
            pool.shutdownNow();
            for (Connection c : open) {
                c.close();
            }
        }
        await("every place comes back", 0, logins::openConnections);
    }
}
