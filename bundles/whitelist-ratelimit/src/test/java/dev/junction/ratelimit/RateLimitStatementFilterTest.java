package dev.junction.ratelimit;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;

import dev.junction.api.admin.AdminTable;
import dev.junction.api.filter.FilterResult;
import dev.junction.api.filter.LoginRequest;
import dev.junction.api.filter.StatementOutcome;
import dev.junction.api.session.SessionInfo;
import dev.junction.api.statement.StatementInfo;
import dev.junction.api.statement.StatementType;
import dev.junction.api.statement.TableName;
import dev.junction.api.topology.ServerAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.Test;

/** The throttle and breaker logic on hand-built statements and sessions (the live behaviour is in core it/). */
public class RateLimitStatementFilterTest {

    private static int port = 41000;

    record Stmt(String sql, StatementType type, List<TableName> tables, String digest) implements StatementInfo {
        @Override
        public boolean parsed() {
            return true;
        }

        @Override
        public boolean weakReadHint() {
            return false;
        }

        @Override
        public OptionalLong queryTimeoutMicros() {
            return OptionalLong.empty();
        }

        @Override
        public Optional<ServerAddress> targetServer() {
            return Optional.empty();
        }
    }

    record Session(String user, String tenant, String cluster, InetSocketAddress clientAddress) implements SessionInfo {
        @Override
        public long id() {
            return clientAddress.getPort();
        }

        @Override
        public Optional<String> database() {
            return Optional.of("shop");
        }

        @Override
        public boolean inTransaction() {
            return false;
        }

        @Override
        public Optional<String> systemVariable(String name) {
            return Optional.empty();
        }

        @Override
        public Optional<String> userVariable(String name) {
            return Optional.empty();
        }
    }

    private static Session session(String user) {
        return new Session(user, "app", "demo", new InetSocketAddress("127.0.0.1", port++));
    }

    private static Stmt select(String table) {
        return new Stmt("select * from " + table + " where id = 1", StatementType.SELECT,
                List.of(new TableName(null, table)), "select * from " + table + " where id = ?");
    }

    private static RateLimitStatementFilter filter(String... kv) {
        RateLimitStatementFilter f = new RateLimitStatementFilter();
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        m.put("service.pid", RateLimitConfig.PID);
        assertNull(f.configure(m));
        return f;
    }

    private static final StatementOutcome OK = new StatementOutcome(null, 0, 1_000_000);
    private static final StatementOutcome FAILED = new StatementOutcome(null, 1146, 1_000_000);

    @Test
    public void noRuleAcceptsEverything() {
        RateLimitStatementFilter f = filter();
        assertSame(FilterResult.accept(), f.onStatement(select("t"), session("app")));
        assertEquals(List.of(), List.of(f.config().throttles));
    }

    @Test
    public void aRateLimitDelaysUpToMaxWaitThenRejectsWithTheDocumentedError() {
        RateLimitStatementFilter f = filter("throttle.slow.user", "app", "throttle.slow.qps", "1",
                "throttle.slow.max_wait", "100ms");
        Session s = session("app");
        assertEquals(FilterResult.Action.ACCEPT, f.onStatement(select("t"), s).action()); // the burst of 1
        FilterResult r = f.onStatement(select("t"), session("app"));
        assertEquals("the next slot is a second away, over max_wait", FilterResult.Action.REJECT, r.action());
        assertEquals(RateLimitStatementFilter.THROTTLED, r.errorCode());
        assertEquals("42000", r.sqlState());
        assertTrue(r.message(), r.message().contains("throttle 'slow'") && r.message().contains("1 statements a second"));
        assertEquals("another user is not covered", FilterResult.Action.ACCEPT,
                f.onStatement(select("t"), session("bob")).action());
        Throttle t = f.config().throttles[0];
        assertEquals(1, t.allowed.sum());
        assertEquals(1, t.rejected.sum());
    }

    @Test
    public void aStatementWithinMaxWaitIsDelayedToItsSlotThenAdmitted() throws Exception {
        RateLimitStatementFilter f = filter("throttle.t.qps", "20", "throttle.t.burst", "1", "throttle.t.max_wait",
                "1s");
        Session s1 = session("app");
        Session s2 = session("app");
        assertEquals(FilterResult.Action.ACCEPT, f.onStatement(select("t"), s1).action());
        FilterResult r = f.onStatement(select("t"), s2);
        assertEquals(FilterResult.Action.DELAY, r.action());
        assertTrue(r.delay().toMillis() > 10 && r.delay().toMillis() <= 50);
        Thread.sleep(r.delay().toMillis() + 1); // the core's timer, stood in for
        assertEquals(FilterResult.Action.ACCEPT, f.onStatement(select("t"), s2).action());
        assertEquals(1, f.config().throttles[0].delayed.sum());
        assertEquals(0, f.waitingStatements());
    }

    @Test
    public void concurrencyPlacesAreTakenAndGivenBackOnceByResultOrLogout() {
        RateLimitStatementFilter f = filter("throttle.c.table", "orders", "throttle.c.concurrency", "1",
                "throttle.c.max_wait", "0");
        Session a = session("app");
        Session b = session("app");
        assertEquals(FilterResult.Action.ACCEPT, f.onStatement(select("orders"), a).action());
        Throttle t = f.config().throttles[0];
        assertEquals(1, t.running.get());
        assertEquals("other tables are not covered", FilterResult.Action.ACCEPT,
                f.onStatement(select("items"), b).action());
        FilterResult r = f.onStatement(select("orders"), b);
        assertEquals(FilterResult.Action.REJECT, r.action());
        assertTrue(r.message(), r.message().contains("more than 1 statements at once"));
        f.onResult(select("orders"), a, OK);
        assertEquals(0, t.running.get());
        f.onResult(select("orders"), a, OK);
        assertEquals("released once only", 0, t.running.get());
        assertEquals(FilterResult.Action.ACCEPT, f.onStatement(select("orders"), b).action());
        f.onLogout(new LoginRequest("app", "app", "demo", b.clientAddress()));
        assertEquals("a session that ends gives its place back", 0, t.running.get());
    }

    @Test
    public void aBreakerOpensOnErrorsFailsFastThenClosesAfterSuccessfulTrials() throws Exception {
        RateLimitStatementFilter f = filter("breaker.b.table", "orders", "breaker.b.error_rate", "50",
                "breaker.b.min_statements", "4", "breaker.b.cool_down", "50ms", "breaker.b.trials", "2");
        Session s = session("app");
        for (int i = 0; i < 4; i++) {
            assertEquals(FilterResult.Action.ACCEPT, f.onStatement(select("orders"), s).action());
            f.onResult(select("orders"), s, i == 0 ? OK : FAILED);
        }
        FilterResult r = f.onStatement(select("orders"), s);
        assertEquals(FilterResult.Action.REJECT, r.action());
        assertEquals(RateLimitStatementFilter.BREAKER_OPEN, r.errorCode());
        assertTrue(r.message(), r.message().contains("circuit breaker 'b' is open (3 of 4 statements failed"));
        assertEquals(FilterResult.Action.ACCEPT, f.onStatement(select("items"), s).action());
        Breaker b = f.config().breakers[0];
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (b.coolDownLeft(System.nanoTime()) > 0 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(FilterResult.Action.ACCEPT, f.onStatement(select("orders"), s).action());
        assertEquals(Breaker.State.HALF_OPEN, b.state());
        assertEquals(FilterResult.Action.ACCEPT, f.onStatement(select("orders"), s).action());
        assertEquals("only 2 trials", FilterResult.Action.REJECT, f.onStatement(select("orders"), s).action());
        f.onResult(select("orders"), s, OK);
        f.onResult(select("orders"), s, OK);
        assertEquals(Breaker.State.CLOSED, b.state());
        for (int i = 0; i < 3; i++) {
            assertEquals(FilterResult.Action.ACCEPT, f.onStatement(select("orders"), s).action());
            f.onResult(select("orders"), s, FAILED);
        }
        assertEquals("closing forgot the failures before it: 3 of 3 is under min_statements", Breaker.State.CLOSED,
                b.state());
        f.onResult(select("orders"), s, FAILED);
        assertEquals("4 of 4 failed", Breaker.State.OPEN, b.state());
        f.configure(Map.of("breaker.b.table", "orders", "breaker.b.error_rate", "50",
                "breaker.b.min_statements", "4", "breaker.b.cool_down", "50ms", "breaker.b.trials", "1"));
        b = f.config().breakers[0];
        assertEquals("a changed rule starts afresh", Breaker.State.CLOSED, b.state());
        assertEquals(FilterResult.Action.ACCEPT, f.onStatement(select("orders"), s).action());
        AdminTable table = RateLimitCommand.list(f);
        assertTrue(table.rows().toString(), table.rows().get(0).get(3).startsWith("closed, opened 0x"));
    }

    @Test
    public void aBadFileIsRefusedWholeNamingTheKeyAndTheOldRulesStay() {
        RateLimitStatementFilter f = filter("throttle.a.qps", "5");
        Map<String, Object> bad = new HashMap<>(Map.of("throttle.a.qps", "5", "throttle.b.qps", "fast"));
        assertEquals("throttle.b.qps: expected statements a second > 0, got 'fast'", f.configure(bad));
        assertEquals(1, f.config().throttles.length);
        assertEquals("throttle.c.user: no user given", f.configure(Map.of("throttle.c.user", "", "throttle.c.qps", "1")));
        assertTrue(f.configure(Map.of("throttle.c.colour", "red")).startsWith("throttle.c.colour: unknown setting"));
        assertTrue(f.configure(Map.of("limit.x", "1")).startsWith("limit.x: unknown key"));
        assertTrue(f.configure(Map.of("throttle.c.type", "SELEKT", "throttle.c.qps", "1"))
                .startsWith("throttle.c.type: unknown statement type 'SELEKT'"));
        assertTrue(f.configure(Map.of("throttle.c.user", "x")).startsWith("throttle.c.qps: a throttle needs"));
        assertTrue(f.configure(Map.of("breaker.c.error_rate", "150")).startsWith("breaker.c.error_rate"));
        assertSame("the same rule keeps its state across reloads", f.config().throttles[0],
                filterKeeping(f, "throttle.a.qps", "5").config().throttles[0]);
    }

    private static RateLimitStatementFilter filterKeeping(RateLimitStatementFilter f, String... kv) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        assertNull(f.configure(m));
        return f;
    }

    @Test
    public void matchesDigestTypeTenantAndQualifiedTables() {
        Match m = Match.parse(null, "app#demo", "select,update", "shop.ord*", "select * from orders where id = ?");
        assertTrue(m.matches(select("orders"), session("x")));
        assertTrue(!m.matches(select("items"), session("x")));
        assertTrue(!m.matches(new Stmt("select * from orders", StatementType.SELECT,
                List.of(new TableName(null, "orders")), "select * from orders"), session("x")));
        assertTrue(!m.matches(select("orders"), new Session("x", "other", "demo", new InetSocketAddress(1))));
        assertTrue(!Match.parse(null, null, null, "other.orders", null).matches(select("orders"), session("x")));
    }

    @Test
    public void commandSetsAndRemovesRulesInTheFile() throws Exception {
        Path dir = Files.createTempDirectory("rl");
        Path file = dir.resolve("dev.junction.ratelimit.cfg");
        Files.writeString(file, "# mine\nthrottle.a.qps = 5\n");
        RateLimitStatementFilter f = new RateLimitStatementFilter();
        Map<String, Object> props = CfgEdit.properties(file);
        props.put("felix.fileinstall.filename", file.toUri().toString());
        assertNull(f.configure(props));
        RateLimitCommand cmd = new RateLimitCommand(f);
        assertTrue(cmd.execute(List.of("set", "throttle.a.qps", "7")).message().contains("in force now"));
        assertTrue(cmd.execute(List.of("set", "breaker.b.table", "orders")).message().contains("in force now"));
        assertEquals("# mine\nthrottle.a.qps = 7\nbreaker.b.table = orders\n", Files.readString(file));
        assertEquals("7", f.config().throttles[0].rate());
        try {
            cmd.execute(List.of("set", "throttle.a.qps", "lots"));
            throw new AssertionError("accepted");
        } catch (dev.junction.api.admin.AdminCommandException e) {
            assertTrue(e.getMessage(), e.getMessage().startsWith("Not changed: throttle.a.qps"));
        }
        assertTrue(cmd.execute(List.of("remove", "breaker.b")).message().contains("removed"));
        assertEquals("# mine\nthrottle.a.qps = 7\n", Files.readString(file));
        AdminTable t = cmd.execute(List.of());
        assertNotNull(t.rows());
        assertEquals("throttle.a", t.rows().get(0).get(0));
    }
}
