package dev.junction.core.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import dev.junction.api.filter.FilterResult;
import dev.junction.api.filter.LoginFilter;
import dev.junction.api.filter.ResultFilter;
import dev.junction.api.filter.StatementFilter;
import dev.junction.api.health.DisasterCheck;
import dev.junction.api.health.FailureKind;
import dev.junction.api.health.Verdict;
import dev.junction.api.routing.RouteDecision;
import dev.junction.api.routing.RoutingPolicy;
import dev.junction.api.topology.Replica;
import dev.junction.api.topology.ServerAddress;
import dev.junction.core.admin.AdminResult;
import dev.junction.core.session.ClientSession;
import dev.junction.core.session.ServerConnection;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.After;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * The routing pipeline against real MariaDB servers: default spreading, policies and disaster checks registered
 * and removed under load, statement filters (reject, delay, rewrite), retries of refused statements, and no
 * resend of a statement that may have executed.
 */
public class RoutingPipelineTest {

    private static JunctionFixture junction;
    private final List<Runnable> cleanup = new ArrayList<>();

    @BeforeClass
    public static void up() throws Exception {
        // one event loop: a delayed statement must not hold up other sessions sharing it
        junction = JunctionFixture.start(Map.of("worker_threads", "1"));
        // these tests check decisions, not speed: a policy's first call (class loading, a busy test machine) may
        // take more than the default 5 ms budget and be ignored; the budget test sets its own
        junction.routing.budgetNanos(TimeUnit.SECONDS.toNanos(2));
        TestDatabases.onEveryServer(
                "CREATE TABLE IF NOT EXISTS test.once (id INT AUTO_INCREMENT PRIMARY KEY, tag VARCHAR(40)) ENGINE=InnoDB",
                "CREATE TABLE IF NOT EXISTS test.retried (tag VARCHAR(40), port INT) ENGINE=InnoDB");
    }

    @AfterClass
    public static void down() {
        junction.close();
    }

    @After
    public void unregister() {
        for (Runnable r : cleanup) {
            r.run();
        }
        cleanup.clear();
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(junction.mariadbUrl(""));
    }

    private static int port(Statement s) throws SQLException {
        try (ResultSet rs = s.executeQuery("SELECT port FROM test.whoami")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private ServerAddress server(int i) {
        return new ServerAddress("127.0.0.1", junction.dbPorts.get(i));
    }

    private void policy(String name, int ranking, RoutingPolicy p) {
        junction.services.policies().add(p, name, ranking, -1);
        cleanup.add(() -> junction.services.policies().remove(p));
    }

    private void check(String name, DisasterCheck c) {
        junction.services.checks().add(c, name, 0, -1);
        cleanup.add(() -> junction.services.checks().remove(c));
    }

    private void filter(String name, StatementFilter f) {
        junction.services.statementFilters().add(f, name, 0, -1);
        cleanup.add(() -> junction.services.statementFilters().remove(f));
    }

    /** Prefers one server for every statement. */
    private static RoutingPolicy prefer(ServerAddress a) {
        return req -> {
            List<Replica> mine = new ArrayList<>();
            for (Replica r : req.candidates()) {
                if (r.server().equals(a)) {
                    mine.add(r);
                }
            }
            return RouteDecision.prefer(mine, "test prefers " + a);
        };
    }

    @Test
    public void tableLessStatementsSpreadOverTheTenantsServers() throws Exception {
        for (boolean pipeline : new boolean[] {false, true}) {
            if (pipeline) {
                policy("abstainer", 1, req -> RouteDecision.abstain()); // forces the planned path
            }
            try (Connection c = connect(); Statement s = c.createStatement()) {
                Map<Integer, Integer> seen = new ConcurrentHashMap<>();
                for (int i = 0; i < 20; i++) {
                    seen.merge(port(s), 1, Integer::sum);
                }
                assertEquals("pipeline=" + pipeline + " " + seen, new HashSet<>(junction.dbPorts), seen.keySet());
                for (int n : seen.values()) {
                    assertTrue("uneven spread " + seen, n >= 5);
                }
            }
        }
    }

    @Test
    public void aTargetDbServerHintPinsTheStatement() throws Exception {
        for (boolean withServices : new boolean[] {false, true}) {
            if (withServices) {
                policy("prefer-first", 100, prefer(server(0)));
            }
            int second = junction.dbPorts.get(1);
            try (Connection c = connect(); Statement s = c.createStatement()) {
                for (int i = 0; i < 6; i++) {
                    try (ResultSet rs = s.executeQuery("/* target_db_server='127.0.0.1:" + second + "' */ SELECT port FROM test.whoami")) {
                        rs.next();
                        assertEquals("services=" + withServices, second, rs.getInt(1));
                    }
                }
            }
        }
        String explain = junction.admin.explainRoute("/* target_db_server='127.0.0.1:" + junction.dbPorts.get(1)
                + "' */ SELECT 1", null).text();
        assertTrue(explain, explain.contains("pins"));
    }

    @Test
    public void aPolicyDecidesTheNextStatementAndUnregisteringRestoresTheDefaultUnderLoad() throws Exception {
        int threads = 6;
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger failures = new AtomicInteger();
        AtomicInteger statements = new AtomicInteger();
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> load = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            load.add(pool.submit(() -> {
                try (Connection c = connect(); Statement s = c.createStatement()) {
                    while (!stop.get()) {
                        try {
                            port(s);
                            statements.incrementAndGet();
                        } catch (SQLException e) {
                            failures.incrementAndGet();
                            errors.add(e);
                        }
                    }
                } catch (SQLException e) {
                    failures.incrementAndGet();
                    errors.add(e);
                }
                return null;
            }));
        }
        try {
            Thread.sleep(300);
            int second = junction.dbPorts.get(1);
            RoutingPolicy p = prefer(server(1));
            for (int round = 0; round < 3; round++) {
                junction.services.policies().add(p, "prefer-second", 100, -1);
                try (Connection c = connect(); Statement s = c.createStatement()) {
                    for (int i = 0; i < 10; i++) {
                        assertEquals("with the policy every statement goes to the second server", second, port(s));
                    }
                }
                Thread.sleep(100);
                junction.services.policies().remove(p);
                try (Connection c = connect(); Statement s = c.createStatement()) {
                    Set<Integer> seen = new HashSet<>();
                    for (int i = 0; i < 10; i++) {
                        seen.add(port(s));
                    }
                    assertEquals("without it the default spreads again", new HashSet<>(junction.dbPorts), seen);
                }
                Thread.sleep(100);
            }
        } finally {
            stop.set(true);
            for (Future<?> f : load) {
                f.get(30, TimeUnit.SECONDS);
            }
            pool.shutdown();
        }
        assertEquals("failed statements under load: " + errors, 0, failures.get());
        assertTrue("the load ran: " + statements.get(), statements.get() > 50);
    }

    @Test
    public void aThrowingOrSlowPolicyIsSkipped() throws Exception {
        long budget = junction.routing.budgetNanos();
        junction.routing.budgetNanos(TimeUnit.MILLISECONDS.toNanos(5));
        cleanup.add(() -> junction.routing.budgetNanos(budget));
        policy("thrower", 300, req -> {
            throw new IllegalStateException("bug in a policy");
        });
        policy("sleeper", 200, req -> {
            try {
                Thread.sleep(30); // over the 5 ms budget: its answer is ignored
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return prefer(server(0)).route(req);
        });
        try (Connection c = connect(); Statement s = c.createStatement()) {
            Set<Integer> seen = new HashSet<>();
            for (int i = 0; i < 6; i++) {
                seen.add(port(s));
            }
            assertEquals(new HashSet<>(junction.dbPorts), seen);
        }
        AdminResult explain = junction.admin.explainRoute("SELECT 1", null);
        String text = explain.text();
        assertTrue(text, text.contains("thrower") && text.contains("threw"));
        assertTrue(text, text.contains("sleeper") && text.contains("over budget"));
    }

    @Test
    public void anExclusiveDecisionNeverTriesTheOthersAndFailsClearlyWhenNoneIsLeft() throws Exception {
        ServerAddress second = server(1);
        AtomicBoolean noneLeft = new AtomicBoolean();
        policy("only-second", 100, req -> {
            List<Replica> mine = new ArrayList<>();
            for (Replica r : req.candidates()) {
                if (r.server().equals(second) && !noneLeft.get()) {
                    mine.add(r);
                }
            }
            return RouteDecision.only(mine, () -> "test allows " + (noneLeft.get() ? "nothing" : second));
        });
        // even vetoed, the only allowed server is used: the others are never tried
        check("veto-second", candidate -> candidate.server().equals(second) ? Verdict.veto("test veto") : Verdict.allow());
        try (Connection c = connect(); Statement s = c.createStatement()) {
            for (int i = 0; i < 6; i++) {
                assertEquals((int) junction.dbPorts.get(1), port(s));
            }
            noneLeft.set(true);
            try {
                port(s);
                fail("no server allowed");
            } catch (SQLException e) {
                assertEquals(3168, e.getErrorCode());
                assertTrue(e.getMessage(), e.getMessage().contains("routing policy only-second allows no server"));
            }
            noneLeft.set(false);
            assertEquals("the session carries on", (int) junction.dbPorts.get(1), port(s));
        }
        String explain = junction.admin.explainRoute("SELECT 1", "app@app#demo").text();
        assertTrue(explain, explain.contains("decided: test allows " + second + " -> only [" + second + "]"));
    }

    @Test
    public void aDisasterCheckVetoMovesTraffic() throws Exception {
        ServerAddress first = server(0);
        List<String> successes = new CopyOnWriteArrayList<>();
        check("veto-first", new DisasterCheck() {
            @Override
            public Verdict check(Replica candidate) {
                return candidate.server().equals(first) ? Verdict.veto("test veto") : Verdict.allow();
            }

            @Override
            public void onSuccess(ServerAddress server) {
                successes.add(server.toString());
            }
        });
        try (Connection c = connect(); Statement s = c.createStatement()) {
            for (int i = 0; i < 8; i++) {
                assertEquals((int) junction.dbPorts.get(1), port(s));
            }
        }
        assertTrue("disaster checks hear of successes: " + successes, successes.contains(server(1).toString()));
        String congestion = junction.admin.congestion().text();
        assertTrue(congestion, congestion.contains("veto-first") && congestion.contains("veto (test veto)"));
        String explain = junction.admin.explainRoute("SELECT 1", "app@app#demo").text();
        assertTrue(explain, explain.contains("vetoed"));
    }

    @Test
    public void aStatementFilterRejectReturnsTheMysqlError() throws Exception {
        filter("no-drop", (st, session) -> st.sql().toLowerCase().contains("forbidden_word")
                ? FilterResult.reject(1142, "42000", "forbidden by policy") : FilterResult.accept());
        try (Connection c = connect(); Statement s = c.createStatement()) {
            try {
                s.executeQuery("SELECT 'forbidden_word'");
                fail("must be rejected");
            } catch (SQLException e) {
                assertEquals(1142, e.getErrorCode());
                assertEquals("42000", e.getSQLState());
                assertTrue(e.getMessage(), e.getMessage().contains("forbidden by policy"));
            }
            assertTrue(port(s) > 0); // the session carries on
        }
    }

    @Test
    public void aLoginFilterRejectsBeforeAnyServerIsContacted() throws Exception {
        List<String> logouts = new CopyOnWriteArrayList<>();
        LoginFilter f = new LoginFilter() {
            @Override
            public FilterResult onLogin(dev.junction.api.filter.LoginRequest login) {
                return login.clientAddress().getAddress().isLoopbackAddress() && blocked.get()
                        ? FilterResult.reject(1130, "HY000", "Host is not allowed by the whitelist") : FilterResult.accept();
            }

            @Override
            public void onLogout(dev.junction.api.filter.LoginRequest login) {
                logouts.add(login.user());
            }
        };
        junction.services.loginFilters().add(f, "whitelist", 0, -1);
        cleanup.add(() -> junction.services.loginFilters().remove(f));
        blocked.set(true);
        try {
            connect().close();
            fail("login must be refused");
        } catch (SQLException e) {
            assertEquals(1130, e.getErrorCode());
            assertTrue(e.getMessage(), e.getMessage().contains("whitelist"));
        }
        blocked.set(false);
        try (Connection c = connect(); Statement s = c.createStatement()) {
            assertTrue(port(s) > 0);
        }
        for (int i = 0; i < 50 && logouts.isEmpty(); i++) {
            Thread.sleep(20);
        }
        assertEquals(List.of("app"), logouts);
    }

    private final AtomicBoolean blocked = new AtomicBoolean();

    @Test
    public void resultFiltersHearEveryStatementIncludingTransactions() throws Exception {
        List<String> outcomes = new CopyOnWriteArrayList<>();
        ResultFilter f = (st, session, outcome) -> outcomes.add(st.sql() + " -> " + outcome.errorCode()
                + (outcome.server() == null ? "" : " @" + outcome.server().port()));
        junction.services.resultFilters().add(f, "audit", 0, -1);
        cleanup.add(() -> junction.services.resultFilters().remove(f));
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.executeQuery("SELECT 1").close();
            try {
                s.executeQuery("SELECT * FROM test.no_such_table").close();
            } catch (SQLException expected) {
                assertEquals(1146, expected.getErrorCode());
            }
            c.setAutoCommit(false);
            int p = port(s);
            s.executeQuery("SELECT 2").close();
            c.commit();
            c.setAutoCommit(true);
            String all = String.join("\n", outcomes);
            assertTrue(all, all.contains("SELECT 1 -> 0 @"));
            assertTrue(all, all.contains("SELECT * FROM test.no_such_table -> 1146 @"));
            assertTrue("statements in a transaction too: " + all, all.contains("SELECT 2 -> 0 @" + p));
        }
    }

    @Test
    public void aRewriteReplacesTheStatement() throws Exception {
        filter("rewriter", (st, session) -> st.sql().equals("SELECT 'before'")
                ? FilterResult.rewrite("SELECT 'after'") : FilterResult.accept());
        try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 'before'")) {
            rs.next();
            assertEquals("after", rs.getString(1));
        }
    }

    @Test
    public void aDelayDelaysWithoutBlockingOtherSessions() throws Exception {
        Set<String> delayed = ConcurrentHashMap.newKeySet();
        filter("slow-lane", (st, session) -> st.sql().contains("slow_lane") && delayed.add(session.id() + st.sql())
                ? FilterResult.delay(Duration.ofMillis(1500)) : FilterResult.accept());
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (Connection slow = connect(); Connection fast = connect(); Statement f = fast.createStatement()) {
            long t0 = System.nanoTime();
            Future<String> slowResult = pool.submit(() -> {
                try (Statement s = slow.createStatement(); ResultSet rs = s.executeQuery("SELECT 'slow_lane'")) {
                    rs.next();
                    return rs.getString(1);
                }
            });
            Thread.sleep(200);
            for (int i = 0; i < 5; i++) {
                port(f);
            }
            long fastDone = System.nanoTime() - t0;
            assertFalse("the delayed statement is still waiting", slowResult.isDone());
            assertTrue("other sessions are not held up: " + fastDone / 1_000_000 + " ms", fastDone < 1_200_000_000L);
            assertEquals("slow_lane", slowResult.get(10, TimeUnit.SECONDS));
            assertTrue("delayed by the filter", System.nanoTime() - t0 >= 1_400_000_000L);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    public void aRefusalThatProvesNothingRanIsSentToTheNextServer() throws Exception {
        int first = junction.dbPorts.get(0);
        int second = junction.dbPorts.get(1);
        TestDatabases.onEveryServer("DELETE FROM test.retried");
        List<String> failures = new CopyOnWriteArrayList<>();
        policy("prefer-first", 100, prefer(server(0)));
        check("recorder", new DisasterCheck() {
            @Override
            public Verdict check(Replica candidate) {
                return Verdict.allow();
            }

            @Override
            public void onFailure(ServerAddress server, FailureKind kind, String detail) {
                failures.add(server.port() + " " + kind);
            }
        });
        // the first server answers like an OceanBase follower ("not master", 4038) without running anything
        String sql = "BEGIN NOT ATOMIC IF (SELECT port FROM test.whoami) = " + first
                + " THEN SIGNAL SQLSTATE 'HY000' SET MYSQL_ERRNO = 4038, MESSAGE_TEXT = 'Not master';"
                + " ELSE INSERT INTO test.retried VALUES ('moved', (SELECT port FROM test.whoami)); END IF; END";
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
        assertEquals("0", TestDatabases.queryOn(first, "SELECT COUNT(*) FROM test.retried"));
        assertEquals("1", TestDatabases.queryOn(second, "SELECT COUNT(*) FROM test.retried"));
        assertTrue(failures.toString(), failures.contains(first + " LOCATION_CHANGED"));

        // an error that does not prove the statement did not run reaches the client and is not retried
        String other = sql.replace("4038", "1317").replace("'moved'", "'must not exist'");
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute(other);
            fail("the error must reach the client");
        } catch (SQLException e) {
            assertEquals(1317, e.getErrorCode());
        }
        assertEquals("0", TestDatabases.queryOn(second, "SELECT COUNT(*) FROM test.retried WHERE tag = 'must not exist'"));
    }

    @Test
    public void aWriteWhoseServerConnectionDiedIsReportedAndNeverResent() throws Exception {
        policy("abstainer", 1, req -> RouteDecision.abstain()); // the planned path, with retries armed
        TestDatabases.onEveryServer("DELETE FROM test.once");
        // (a) the connection to the server breaks after the statement reached it: it executes there, once
        assertEquals(1, runAndBreak("INSERT INTO test.once (tag) SELECT CONCAT('executed', SLEEP(2))", false));
        Thread.sleep(2500); // the server finishes the statement it had received
        assertEquals(1, countEverywhere("executed%"));
        // (b) the server kills the statement mid-way: it rolls back, and it is not sent anywhere else
        assertEquals(1, runAndBreak("INSERT INTO test.once (tag) SELECT CONCAT('killed', SLEEP(5))", true));
        Thread.sleep(500);
        assertEquals(0, countEverywhere("killed%"));
    }

    /** Runs {@code sql}, breaks its server connection while it runs; returns 1 when the client got an error. */
    private int runAndBreak(String sql, boolean killOnServer) throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (Connection c = connect()) {
            Future<?> f = pool.submit(() -> {
                try (Statement s = c.createStatement()) {
                    s.execute(sql);
                }
                return null;
            });
            ServerConnection running = null;
            ClientSession session = null;
            for (int i = 0; i < 100 && running == null; i++) {
                Thread.sleep(20);
                for (ClientSession s : junction.server.sessions().all()) {
                    if (s.info() != null && s.info().contains("SLEEP") && s.running() != null && s.running().isBusy()) {
                        session = s;
                        running = s.running();
                    }
                }
            }
            assertNotNull("the statement is running", running);
            Thread.sleep(300);
            if (killOnServer) {
                int port = running.address().port();
                long thread = running.threadId();
                try (Connection direct = DriverManager.getConnection(TestDatabases.mariadbUrl(port, ""));
                        Statement k = direct.createStatement()) {
                    k.execute("KILL CONNECTION " + thread);
                }
            } else {
                ServerConnection sc = running;
                session.channel().eventLoop().execute(() -> sc.close(new IOException("simulated network failure")));
            }
            try {
                f.get(20, TimeUnit.SECONDS);
                return 0;
            } catch (java.util.concurrent.ExecutionException e) {
                assertTrue(String.valueOf(e.getCause()), e.getCause() instanceof SQLException);
                return 1;
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private int countEverywhere(String like) throws Exception {
        int n = 0;
        for (int p : junction.dbPorts) {
            n += Integer.parseInt(TestDatabases.queryOn(p, "SELECT COUNT(*) FROM test.once WHERE tag LIKE '" + like + "'"));
        }
        return n;
    }
}
