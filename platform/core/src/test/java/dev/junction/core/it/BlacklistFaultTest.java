package dev.junction.core.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import dev.junction.api.topology.ServerAddress;
import dev.junction.blacklist.BlacklistCommand;
import dev.junction.blacklist.BlacklistDisasterCheck;
import dev.junction.core.admin.AdminResult;
import dev.junction.core.metadata.EmulatedOceanBase;
import dev.junction.core.metadata.MetadataService;
import dev.junction.core.metadata.ServerControlService;
import dev.junction.core.session.ClientSession;
import dev.junction.core.session.ServerConnection;
import java.nio.file.Files;
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
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.After;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * The ha-blacklist bundle's check on a live proxy in front of three MariaDB servers of its own, while client threads
 * (MariaDB Connector/J) run autocommit statements through Junction and one server is killed with SIGKILL, frozen
 * with SIGSTOP and thawed, and restarted: the others carry on, the only client errors are the statements that were
 * running on the failed server, the server is blacklisted within the configured thresholds (and both admin views
 * say so), and once it is back it is whitewashed and serves again. Writes: every acknowledged row exists exactly
 * once and no statement was sent twice.
 */
public class BlacklistFaultTest {

    /** Generous for a busy 2-core machine; the thresholds themselves are far shorter. */
    private static final long DEADLINE_MS = 20_000;

    private static List<Integer> ports;
    private static DbProcess[] dbs;
    private static JunctionFixture junction;
    private static MetadataService metadata;
    private static ServerControlService control;
    private static BlacklistDisasterCheck check;
    private static BlacklistCommand command;

    @BeforeClass
    public static void up() throws Exception {
        ports = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            int p = TestDatabases.startAnother();
            ports.add(p);
            try (Connection c = DriverManager.getConnection(TestDatabases.mariadbUrl(p, ""));
                    Statement s = c.createStatement()) {
                s.execute("CREATE TABLE test.acked (id INT PRIMARY KEY) ENGINE=InnoDB");
            }
        }
        dbs = new DbProcess[3];
        for (int i = 0; i < 3; i++) {
            dbs[i] = DbProcess.of(ports.get(i));
        }
        junction = JunctionFixture.start(Map.of("connect_timeout", "2s"), ports);
        metadata = new MetadataService();
        Map<String, Object> cluster = new HashMap<>(JunctionFixture.clusterProperties(ports));
        cluster.put("metadata.user", TestDatabases.USER);
        cluster.put("metadata.password", TestDatabases.PASSWORD);
        metadata.start(cluster, Files.createTempDirectory("junction-blacklist"));
        control = new ServerControlService(metadata, junction.admin);
        check = new BlacklistDisasterCheck(control);
        assertEquals(null, check.configure(Map.of("detect_interval", "200ms", "detect_timeout", "1s",
                "detect_failures", "3", "unavailable_retry_interval", "2s")));
        check.start();
        junction.services.checks().add(check, "blacklist", 0, -1);
        command = BlacklistCommand.of(check);
        junction.admin.addCommand("blacklist", command, "blacklists");
        awaitTrue("the detector knows every server", () -> blacklistRow(2) != null);
    }

    @AfterClass
    public static void down() {
        if (check != null) {
            junction.services.checks().remove(check);
            check.stop();
        }
        if (metadata != null) {
            metadata.stop("demo");
        }
        if (junction != null) {
            junction.close();
        }
        if (dbs != null) {
            for (DbProcess d : dbs) {
                if (d != null) {
                    d.close();
                }
            }
        }
    }

    /** Every server is up and in no list again (a test that failed midway leaves the next one a clean start). */
    @After
    public void restore() throws Exception {
        for (DbProcess d : dbs) {
            d.sigcont();
            if (!d.listening()) {
                d.restart(60_000);
            }
        }
        for (int i = 0; i < 3; i++) {
            int n = i;
            awaitTrue("server " + i + " in no list", () -> lists(n).equals("-"));
        }
    }

    // ---- faults during autocommit reads

    @Test
    public void aKilledServerIsBlacklistedTheOthersCarryOnAndAfterARestartItServesAgain() throws Exception {
        try (Load load = Load.reads(4); Load transactions = Load.preparedTransactions(4);
                Load prepared = Load.preparedReads(4); Load prepares = Load.preparesEachTime(2)) {
            load.awaitAnswersFrom(ports, DEADLINE_MS);
            prepared.awaitAnswersFrom(ports, DEADLINE_MS);
            transactions.awaitAnswersFrom(ports, DEADLINE_MS);
            prepares.awaitAnswersFrom(ports, DEADLINE_MS);
            long t0 = System.nanoTime();
            dbs[2].kill9();
            long dead = awaitListed(2, "detect");
            log("kill -9: DETECT_DEAD after " + ms(t0, dead) + " ms");
            assertViewsAgree(2);
            long mark = load.answered();
            load.awaitAnswered(mark + 200, DEADLINE_MS);
            assertFalse(load.answersFrom(ports.get(2), dead));
            long restarted = System.nanoTime();
            dbs[2].restart(60_000);
            long up = System.nanoTime();
            long clean = awaitUnlisted(2);
            long served = load.awaitAnswerFrom(ports.get(2), up, DEADLINE_MS);
            log("restart: back in " + ms(restarted, up) + " ms; whitewashed " + ms(up, clean)
                    + " ms and serving " + ms(up, served) + " ms after it let clients in");
            // autocommit plain reads and prepares lost in flight ran again on another server: no client saw an error
            load.assertOnlyInFlightErrors(0);
            prepared.assertOnlyInFlightErrors(0);
            prepares.assertOnlyInFlightErrors(0);
            transactions.assertOnlyInFlightErrors(1);
        }
    }

    @Test
    public void aFrozenServerIsFoundDeadItsHungStatementsEndAndAfterSigcontItServesAgain() throws Exception {
        try (Load load = Load.reads(4); Connection tx = DriverManager.getConnection(junction.mariadbUrl(""));
                Statement ts = tx.createStatement()) {
            tx.setAutoCommit(false);
            while (port(ts) != ports.get(1)) {
                tx.rollback(); // until a transaction runs on the server about to freeze
            }
            load.awaitAnswersFrom(ports, DEADLINE_MS);
            long t0 = System.nanoTime();
            dbs[1].sigstop();
            java.util.concurrent.CompletableFuture<String> inTx = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return "answered by " + port(ts);
                } catch (SQLException e) {
                    return e.getErrorCode() + " " + e.getMessage();
                }
            });
            assertTrue("the kernel still accepts connections", dbs[1].listening());
            long dead = awaitListed(1, "detect");
            log("SIGSTOP: DETECT_DEAD after " + ms(t0, dead) + " ms (detect_timeout 1s, 3 probes 200 ms apart)");
            // the transaction's statement hung on the frozen server: it ends with an error saying so
            String hung = inTx.get(DEADLINE_MS, java.util.concurrent.TimeUnit.MILLISECONDS);
            assertTrue(hung, hung.startsWith("2013 ") && hung.contains("the transaction is lost"));
            tx.rollback();
            assertTrue("the client carries on in a new transaction", port(ts) != ports.get(1));
            tx.rollback();
            long mark = load.answered();
            load.awaitAnswered(mark + 200, DEADLINE_MS);
            log("SIGSTOP: 200 statements answered " + ms(dead, System.nanoTime()) + " ms after");
            assertViewsAgree(1);
            long cont = System.nanoTime();
            dbs[1].sigcont();
            long clean = awaitUnlisted(1);
            long served = load.awaitAnswerFrom(ports.get(1), cont, DEADLINE_MS);
            log("SIGCONT: whitewashed " + ms(cont, clean) + " ms and serving " + ms(cont, served) + " ms after");
            // the plain reads that hung on the frozen server ran again elsewhere when its connections were closed
            load.assertOnlyInFlightErrors(0);
        }
    }

    @Test
    public void connectionErrorsOfRealTrafficBlacklistAServerAsAliveButUnavailable() throws Exception {
        assertEquals(null, check.configure(Map.of("detect_mode", "none", "unavailable_retry_interval", "2s")));
        try (Load load = Load.reads(4)) {
            load.awaitAnswersFrom(ports, DEADLINE_MS);
            dbs[0].kill9();
            long listed = awaitListed(0, "unavailable");
            assertTrue(lists(0), !lists(0).contains("detect"));
            dbs[0].restart(60_000);
            long up = System.nanoTime();
            // the trial statement after unavailable_retry_interval succeeds and whitewashes the server
            long clean = awaitUnlisted(0);
            long served = load.awaitAnswerFrom(ports.get(0), up, DEADLINE_MS);
            log("alive-but-unavailable: whitewashed by a trial " + ms(up, clean) + " ms after the restart, serving "
                    + ms(up, served) + " ms; listed " + ms(listed, clean) + " ms");
            load.assertOnlyInFlightErrors(1);
        } finally {
            assertEquals(null, check.configure(Map.of("detect_interval", "200ms", "detect_timeout", "1s",
                    "detect_failures", "3", "unavailable_retry_interval", "2s")));
        }
    }

    // ---- metadata states

    /**
     * The state blacklist from a real metadata poll (OceanBase's tables emulated on the first server): a server
     * the metadata calls inactive is blacklisted, and released only after {@code state_min_hold} although the
     * metadata calls it active again sooner.
     */
    @Test
    public void aServerTheMetadataCallsInactiveIsHeldInTheStateBlacklist() throws Exception {
        int rs = ports.get(0);
        String victim = "127.0.0.1:" + ports.get(2);
        List<String> sql = new ArrayList<>(List.of("DROP DATABASE IF EXISTS oceanbase"));
        sql.addAll(EmulatedOceanBase.schema("oceanbase"));
        StringBuilder servers = new StringBuilder();
        for (int i = 0; i < 3; i++) {
            servers.append(i == 0 ? "" : ", ").append("('127.0.0.1', ").append(ports.get(i)).append(", 'z").append(i + 1)
                    .append("', 'active', 1663664600100327, 0)");
        }
        sql.add("INSERT INTO oceanbase.__all_virtual_zone_stat VALUES ('z1', 0, 'ACTIVE', 'hangzhou', 'hz1', 'ReadWrite'),"
                + " ('z2', 0, 'ACTIVE', 'hangzhou', 'hz2', 'ReadWrite'), ('z3', 0, 'ACTIVE', 'hangzhou', 'hz3', 'ReadWrite')");
        sql.add("INSERT INTO oceanbase.__all_virtual_proxy_server_stat VALUES " + servers);
        sql.add("INSERT INTO oceanbase.__all_tenant VALUES ('app', 'z1;z2,z3', 'FULL{1}@z1, FULL{1}@z2, FULL{1}@z3')");
        TestDatabases.onServer(rs, sql);
        MetadataService polled = new MetadataService();
        Map<String, Object> cluster = new HashMap<>();
        cluster.put("name", "demo");
        cluster.put("metadata.source", "oceanbase");
        cluster.put("metadata.rslist", "127.0.0.1:" + rs);
        cluster.put("metadata.user", TestDatabases.USER);
        cluster.put("metadata.password", TestDatabases.PASSWORD);
        cluster.put("metadata.refresh_interval", "200ms");
        polled.start(cluster, Files.createTempDirectory("junction-blacklist-state"));
        BlacklistDisasterCheck states = new BlacklistDisasterCheck(new ServerControlService(polled, junction.admin));
        assertEquals(null, states.configure(Map.of("detect_mode", "none", "detect_interval", "200ms",
                "state_min_hold", "3s")));
        states.start();
        BlacklistCommand view = BlacklistCommand.of(states);
        try {
            awaitTrue("the poll found " + victim, () -> row(view, victim) != null);
            assertEquals("-", row(view, victim).get(3));
            TestDatabases.onServer(rs, List.of("UPDATE oceanbase.__all_virtual_proxy_server_stat SET status = 'inactive' WHERE svr_port = "
                    + ports.get(2)));
            awaitTrue(victim + " in the state blacklist", () -> row(view, victim).get(3).equals("state"));
            long listed = System.nanoTime();
            assertTrue(row(view, victim).get(4), row(view, victim).get(4).contains("metadata state INACTIVE"));
            TestDatabases.onServer(rs, List.of("UPDATE oceanbase.__all_virtual_proxy_server_stat SET status = 'active' WHERE svr_port = "
                    + ports.get(2)));
            awaitTrue("the poll sees " + victim + " active", () -> row(view, victim).get(4).contains("state ACTIVE"));
            if (System.nanoTime() - listed < 2_500_000_000L) {
                assertEquals("active again, but held less than state_min_hold", "state", row(view, victim).get(3));
            }
            awaitTrue(victim + " released", () -> row(view, victim).get(3).equals("-"));
            long held = ms(listed, System.nanoTime());
            log("state blacklist: released " + held + " ms after it was seen listed (state_min_hold 3s)");
            assertTrue("held " + held + " ms", held >= 2_500);
        } finally {
            states.stop();
            polled.stop("demo");
            TestDatabases.onServer(rs, List.of("DROP DATABASE IF EXISTS oceanbase"));
        }
    }

    private static List<String> row(BlacklistCommand view, String server) {
        try {
            for (List<String> r : view.execute(List.of()).rows()) {
                if (r.get(0).equals(server)) {
                    return r;
                }
            }
            return null;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    // ---- writes

    @Test
    public void afterAKillEveryAcknowledgedWriteExistsExactlyOnce() throws Exception {
        AtomicLong nextId = new AtomicLong(1_000_000);
        List<Long> acked = new ArrayList<>();
        List<Long> failed = new ArrayList<>();
        List<Thread> writers = new ArrayList<>();
        long[] stopAt = {Long.MAX_VALUE};
        for (int t = 0; t < 3; t++) {
            writers.add(new Thread(() -> {
                try (Connection c = DriverManager.getConnection(junction.mariadbUrl(""));
                        Statement s = c.createStatement()) {
                    while (System.nanoTime() < stopAt[0]) {
                        long id = nextId.incrementAndGet();
                        try {
                            s.executeUpdate("INSERT INTO test.acked VALUES (" + id + ")");
                            synchronized (acked) {
                                acked.add(id);
                            }
                        } catch (SQLException e) {
                            synchronized (acked) {
                                failed.add(id);
                            }
                        }
                    }
                } catch (SQLException e) {
                    throw new AssertionError(e);
                }
            }));
        }
        writers.forEach(Thread::start);
        awaitTrue("writes reached the victim", () -> countOn(2) > 50);
        dbs[2].kill9();
        awaitListed(2, "detect");
        int ackedAtBlacklist = sizeOf(acked);
        awaitTrue("writes carry on", () -> sizeOf(acked) > ackedAtBlacklist + 200);
        stopAt[0] = System.nanoTime();
        for (Thread w : writers) {
            w.join();
        }
        dbs[2].restart(60_000);
        Map<Long, Integer> seen = new HashMap<>();
        for (int p : ports) {
            try (Connection c = DriverManager.getConnection(TestDatabases.mariadbUrl(p, ""));
                    Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT id FROM test.acked")) {
                while (rs.next()) {
                    seen.merge(rs.getLong(1), 1, Integer::sum);
                }
            }
        }
        for (Map.Entry<Long, Integer> e : seen.entrySet()) {
            assertEquals("row " + e.getKey() + " written more than once", 1, (int) e.getValue());
        }
        for (long id : acked) {
            assertEquals("acknowledged row " + id, Integer.valueOf(1), seen.get(id));
        }
        log("writes: " + acked.size() + " acknowledged, all exactly once; " + failed.size()
                + " got an error (in flight on the killed server), of which " + failed.stream().filter(seen::containsKey).count()
                + " had executed before the kill");
        assertTrue("only statements in flight on the killed server fail: " + failed, failed.size() <= 3);
    }

    // ---- closing connections to a server

    @Test
    public void closingConnectionsFailsTheTransactionThatRanThereAndMovesOthersOn() throws Exception {
        try (Connection tx = DriverManager.getConnection(junction.mariadbUrl(""));
                Connection plain = DriverManager.getConnection(junction.mariadbUrl(""));
                Statement ts = tx.createStatement(); Statement ps = plain.createStatement()) {
            int plainPort = port(ps);
            tx.setAutoCommit(false);
            ts.executeUpdate("INSERT INTO test.acked VALUES (-1)");
            int txPort = port(ts);
            ServerAddress txServer = new ServerAddress("127.0.0.1", txPort);
            control.closeConnections(txServer, "test");
            control.closeConnections(new ServerAddress("127.0.0.1", plainPort), "test");
            awaitTrue("connections to " + txServer + " closed", () -> {
                for (ClientSession s : junction.server.sessions().all()) {
                    for (ServerConnection sc : s.connections()) {
                        if (sc.address().equals(txServer) && !sc.isClosed()) {
                            return false;
                        }
                    }
                }
                return true;
            });
            try {
                ts.executeUpdate("INSERT INTO test.acked VALUES (-2)");
                fail("the transaction's server connection was closed: its next statement must fail");
            } catch (SQLException expected) {
                log("transaction lost: " + expected.getErrorCode() + " " + expected.getSQLState() + " " + expected.getMessage());
                assertEquals(1213, expected.getErrorCode());
                assertEquals("40001", expected.getSQLState());
                assertTrue(expected.getMessage(), expected.getMessage().contains("transaction was lost")
                        && expected.getMessage().contains("127.0.0.1:" + txPort));
            }
            // the client stays connected: a new transaction works
            ts.executeUpdate("INSERT INTO test.acked VALUES (-3)");
            tx.rollback();
            tx.setAutoCommit(true);
            port(ts);
            for (int i = 0; i < 6; i++) {
                port(ps); // carries on, on any server
            }
            for (int p : ports) {
                assertEquals("nothing of the lost transaction was committed on " + p, "0",
                        TestDatabases.queryOn(p, "SELECT COUNT(*) FROM test.acked WHERE id < 0"));
            }
        }
    }

    // ---- the bundle coming and going

    /**
     * What Declarative Services does when the bundle is installed, updated (a new instance replaces the old) or
     * uninstalled, done 30 times under load: no statement fails.
     */
    @Test
    public void installingUpdatingAndUninstallingTheCheckUnderLoadFailsNoStatement() throws Exception {
        try (Load load = Load.reads(4)) {
            load.awaitAnswersFrom(ports, DEADLINE_MS);
            BlacklistDisasterCheck current = check;
            for (int i = 0; i < 30; i++) {
                long mark = load.answered();
                junction.services.checks().remove(current); // uninstall
                if (current != check) {
                    current.stop();
                }
                load.awaitAnswered(mark + 20, DEADLINE_MS);
                BlacklistDisasterCheck next = new BlacklistDisasterCheck(control); // install / update
                assertEquals(null, next.configure(Map.of("detect_interval", "200ms")));
                next.start();
                junction.services.checks().add(next, "blacklist", 0, -1);
                current = next;
                load.awaitAnswered(load.answered() + 20, DEADLINE_MS);
            }
            junction.services.checks().remove(current);
            current.stop();
            junction.services.checks().add(check, "blacklist", 0, -1);
            load.assertOnlyInFlightErrors(0);
        }
    }

    // ---- admin

    @Test
    public void manualAddAndRemoveOverSqlAndTheShellCommandShowTheSameState() throws Exception {
        String server = "127.0.0.1:" + ports.get(0);
        try (Connection admin = DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + junction.port + "/",
                "root@proxysys", JunctionFixture.ADMIN_PASSWORD); Statement s = admin.createStatement()) {
            s.execute("alter proxyblacklist add '" + server + "' 'planned maintenance'");
            assertEquals("manual", lists(0));
            assertViewsAgree(0);
            try (ResultSet rs = s.executeQuery("show proxyblacklist")) {
                boolean found = false;
                while (rs.next()) {
                    if (rs.getString("server").equals(server)) {
                        found = true;
                        assertEquals("manual", rs.getString("lists"));
                        assertTrue(rs.getString("reason"), rs.getString("reason").contains("planned maintenance"));
                    }
                }
                assertTrue(found);
            }
            try (Load load = Load.reads(2)) {
                long mark = load.answered();
                load.awaitAnswered(mark + 60, DEADLINE_MS);
                assertFalse("a blacklisted server gets no new statements", load.answersFrom(ports.get(0), 0));
            }
            s.execute("alter proxyblacklist remove '" + server + "'");
            assertEquals("-", lists(0));
            try {
                s.execute("alter proxyblacklist add");
                fail("no server named");
            } catch (SQLException e) {
                assertTrue(e.getMessage(), e.getMessage().contains("usage"));
            }
        }
    }

    // ---- helpers

    private static int port(Statement s) throws SQLException {
        try (ResultSet rs = s.executeQuery("SELECT port FROM test.whoami")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static int port(java.sql.PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static int countOn(int i) {
        try {
            return Integer.parseInt(TestDatabases.queryOn(ports.get(i), "SELECT COUNT(*) FROM test.acked"));
        } catch (Exception e) {
            return -1;
        }
    }

    private static int sizeOf(List<Long> l) {
        synchronized (l) {
            return l.size();
        }
    }

    private static List<String> blacklistRow(int i) {
        try {
            for (List<String> row : command.execute(List.of()).rows()) {
                if (row.get(0).equals("127.0.0.1:" + ports.get(i))) {
                    return row;
                }
            }
            return null;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static String lists(int i) {
        List<String> row = blacklistRow(i);
        return row == null ? "-" : row.get(3);
    }

    /** {@code show proxycongestion} shows the verdict {@code junction:blacklist} shows (its reason included). */
    private static void assertViewsAgree(int i) {
        List<String> row = blacklistRow(i);
        assertNotNull(row);
        AdminResult congestion = junction.admin.execute("show proxycongestion");
        String server = "127.0.0.1:" + ports.get(i);
        String verdict = null;
        for (List<String> r : congestion.rows()) {
            if (r.get(0).equals("blacklist") && r.get(4).equals(server)) {
                verdict = r.get(5);
            }
        }
        assertNotNull(congestion.text(), verdict);
        assertTrue(verdict, verdict.startsWith("veto ("));
        assertEquals(row.get(9), verdict);
        assertTrue(verdict + " vs " + row, verdict.contains(row.get(4)));
    }

    private static long awaitListed(int i, String list) throws InterruptedException {
        awaitTrue("server " + i + " in the " + list + " blacklist", () -> lists(i).contains(list));
        return System.nanoTime();
    }

    private static long awaitUnlisted(int i) throws InterruptedException {
        awaitTrue("server " + i + " whitewashed", () -> lists(i).equals("-"));
        return System.nanoTime();
    }

    static void awaitTrue(String what, BooleanSupplier condition) throws InterruptedException {
        long end = System.currentTimeMillis() + DEADLINE_MS;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > end) {
                fail("not within " + DEADLINE_MS + " ms: " + what + "; blacklists: " + dump());
            }
            Thread.sleep(20);
        }
    }

    private static String dump() {
        try {
            return command.execute(List.of()).rows().toString();
        } catch (Exception e) {
            return e.toString();
        }
    }

    private static long ms(long fromNanos, long toNanos) {
        return (toNanos - fromNanos) / 1_000_000;
    }

    private static void log(String line) {
        System.out.println("[BlacklistFaultTest] " + line);
    }

    /** Client threads each running {@code SELECT port FROM test.whoami} in a loop on its own connection. */
    static final class Load implements AutoCloseable {
        record Answer(long nanos, int port, SQLException error, int thread) {
        }

        private final List<Answer> answers = new ArrayList<>();
        private final List<Thread> threads = new ArrayList<>();
        private volatile boolean stop;

        /** Autocommit statements. */
        static Load reads(int n) throws SQLException {
            return start(n, "", false);
        }

        /** Autocommit server-side prepared statements. */
        static Load preparedReads(int n) throws SQLException {
            return start(n, "useServerPrepStmts=true", false, true);
        }

        /** A server-side prepared statement prepared, executed once and closed, again and again. */
        static Load preparesEachTime(int n) throws SQLException {
            Load l = new Load();
            for (int t = 0; t < n; t++) {
                Connection c = DriverManager.getConnection(
                        junction.mariadbUrl("useServerPrepStmts=true&cachePrepStmts=false"));
                int id = t;
                Thread th = new Thread(() -> l.prepareEachTime(c, id), "prepares-" + t);
                l.threads.add(th);
                th.start();
            }
            return l;
        }

        /** Transactions of two server-side prepared statements (as sysbench runs them). */
        static Load preparedTransactions(int n) throws SQLException {
            return start(n, "useServerPrepStmts=true", true);
        }

        private static Load start(int n, String params, boolean transactions) throws SQLException {
            return start(n, params, transactions, false);
        }

        private static Load start(int n, String params, boolean transactions, boolean prepared) throws SQLException {
            Load l = new Load();
            for (int t = 0; t < n; t++) {
                Connection c = DriverManager.getConnection(junction.mariadbUrl(params));
                int id = t;
                Thread th = new Thread(() -> l.run(c, id, transactions, prepared), "load-" + t);
                l.threads.add(th);
                th.start();
            }
            return l;
        }

        private static int transaction(Connection c, java.sql.PreparedStatement ps) throws SQLException {
            try {
                c.setAutoCommit(false);
                int port;
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    port = rs.getInt(1);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    assertEquals("a transaction stays on its server", port, rs.getInt(1));
                }
                c.commit();
                return port;
            } catch (SQLException e) {
                try {
                    c.rollback();
                } catch (SQLException ignored) {
                    // reported by the statement's error
                }
                throw e;
            }
        }

        private void run(Connection c, int id, boolean transactions, boolean prepared) {
            try (c; Statement s = c.createStatement();
                    java.sql.PreparedStatement ps = c.prepareStatement("SELECT port FROM test.whoami WHERE port > ?")) {
                ps.setInt(1, 0);
                loop(id, i -> transactions ? transaction(c, ps) : prepared ? port(ps) : port(s));
            } catch (SQLException e) {
                add(new Answer(System.nanoTime(), -1, e, id));
            }
        }

        private void prepareEachTime(Connection c, int id) {
            try (c) {
                loop(id, i -> {
                    try (java.sql.PreparedStatement ps = c.prepareStatement("SELECT port FROM test.whoami WHERE port > "
                            + (i % 1000) + " - ?")) {
                        ps.setInt(1, 1);
                        return port(ps);
                    }
                });
            } catch (SQLException e) {
                add(new Answer(System.nanoTime(), -1, e, id));
            }
        }

        /** One statement (or transaction) of a client's loop, the {@code i}-th: the port that answered. */
        private interface Step {
            int run(int i) throws SQLException;
        }

        /** Runs {@code step} until stopped, recording each answer or error. */
        private void loop(int id, Step step) {
            for (int i = 0; !stop; i++) {
                try {
                    add(new Answer(System.nanoTime(), step.run(i), null, id));
                } catch (SQLException e) {
                    add(new Answer(System.nanoTime(), -1, e, id));
                }
            }
        }

        private void add(Answer a) {
            synchronized (answers) {
                answers.add(a);
            }
        }

        private List<Answer> snapshot() {
            synchronized (answers) {
                return new ArrayList<>(answers);
            }
        }

        long answered() {
            return snapshot().stream().filter(a -> a.error == null).count();
        }

        void awaitAnswered(long n, long deadlineMs) throws InterruptedException {
            awaitTrue(n + " statements answered", () -> answered() >= n);
        }

        boolean answersFrom(int port, long sinceNanos) {
            return snapshot().stream().anyMatch(a -> a.port == port && a.nanos - sinceNanos > 0);
        }

        long awaitAnswerFrom(int port, long sinceNanos, long deadlineMs) throws InterruptedException {
            awaitTrue("an answer from " + port, () -> answersFrom(port, sinceNanos));
            return snapshot().stream().filter(a -> a.port == port && a.nanos - sinceNanos > 0)
                    .mapToLong(Answer::nanos).min().getAsLong();
        }

        void awaitAnswersFrom(List<Integer> ports, long deadlineMs) throws InterruptedException {
            for (int p : ports) {
                awaitTrue("an answer from " + p, () -> answersFrom(p, Long.MIN_VALUE / 2));
            }
        }

        /**
         * Each client saw at most {@code perThread} errors, each the error of a statement running on the failed
         * server when it failed ("lost connection ... during the statement").
         */
        void assertOnlyInFlightErrors(int perThread) {
            List<Answer> all = snapshot();
            Map<Integer, Integer> perClient = new HashMap<>();
            Set<String> messages = new HashSet<>();
            for (Answer a : all) {
                if (a.error != null) {
                    perClient.merge(a.thread, 1, Integer::sum);
                    messages.add(a.error.getErrorCode() + " " + a.error.getMessage());
                    assertTrue(a.error.getMessage(), a.error.getMessage().contains("lost connection to the server during the statement"));
                }
            }
            log(all.size() + " statements, errors per client " + perClient + ": " + messages);
            for (int n : perClient.values()) {
                assertTrue("errors per client " + perClient, n <= perThread);
            }
        }

        @Override
        public void close() throws InterruptedException {
            stop = true;
            for (Thread t : threads) {
                t.join(DEADLINE_MS);
            }
        }
    }
}
