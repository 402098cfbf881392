package dev.junction.ratelimit;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import dev.junction.api.admin.AdminCommandException;
import dev.junction.api.admin.AdminTable;
import dev.junction.api.filter.FilterResult;
import dev.junction.api.filter.LoginRequest;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.Test;

public class WhitelistLoginFilterTest {

    private static int port = 40000;

    private static LoginRequest login(String user, String tenant, String cluster, String ip) {
        return new LoginRequest(user, tenant, cluster, new InetSocketAddress(ip, port++));
    }

    private static WhitelistLoginFilter filter(String... kv) {
        WhitelistLoginFilter f = new WhitelistLoginFilter();
        assertNull(f.configure(map(kv)));
        return f;
    }

    private static Map<String, Object> map(String... kv) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        m.put("service.pid", "dev.junction.whitelist");
        m.put("component.name", "x");
        return m;
    }

    @Test
    public void noRulesAllowEverything() {
        WhitelistLoginFilter f = filter();
        assertEquals(FilterResult.Action.ACCEPT, f.onLogin(login("app", "app", "demo", "10.9.9.9")).action());
    }

    @Test
    public void rulesApplyToTheUsersTheyName() {
        WhitelistLoginFilter f = filter("rule.1", "app@app#demo 127.0.0.1/32,::1", "rule.2", "app 10.0.0.0/8");
        assertEquals(FilterResult.Action.ACCEPT, f.onLogin(login("app", "app", "demo", "127.0.0.1")).action());
        assertEquals(FilterResult.Action.ACCEPT, f.onLogin(login("app", "app", "demo", "::1")).action());
        assertEquals(FilterResult.Action.ACCEPT, f.onLogin(login("app", "app", "demo", "10.1.1.1")).action());
        FilterResult r = f.onLogin(login("app", "app", "demo", "127.0.0.2"));
        assertEquals(FilterResult.Action.REJECT, r.action());
        assertEquals(1045, r.errorCode());
        assertEquals("28000", r.sqlState());
        assertEquals("Access denied for user 'app' from host '127.0.0.2' (Junction whitelist)", r.message());
        assertEquals("no rule names user other: allowed",
                FilterResult.Action.ACCEPT, f.onLogin(login("other", "app", "demo", "127.0.0.2")).action());
        WhitelistConfig cfg = f.config();
        assertEquals(2, cfg.rules.get(0).allowed.get());
        assertEquals(1, cfg.rules.get(0).rejected.get());
        assertEquals(1, cfg.rules.get(1).allowed.get());
        assertEquals(1, cfg.rules.get(1).rejected.get());
        assertTrue(WhitelistCommand.list(f).rows().toString(),
                WhitelistCommand.list(f).rows().get(0).containsAll(List.of("rule.1", "2", "1")));
    }

    @Test
    public void aBadConfigurationIsRefusedWholeAndTheOldRulesStay() {
        WhitelistLoginFilter f = filter("rule.1", "app 127.0.0.1", "max_connections.user.app@app#demo", "3");
        String problem = f.configure(map("rule.1", "app 0.0.0.0/0", "rule.2", "bob 10.0.0.0/33"));
        assertNotNull(problem);
        assertTrue(problem, problem.startsWith("rule.2: ") && problem.contains("10.0.0.0/33"));
        assertEquals(FilterResult.Action.REJECT, f.onLogin(login("app", "app", "demo", "10.0.0.1")).action());
        for (String[] bad : new String[][] {{"rule.x", "app 1.2.3.4"}, {"rule.1", "app"}, {"rule.1", "@t 1.2.3.4"},
                {"max_connections", "-1"}, {"max_connections", "many"}, {"max_connections.user.a*", "1"},
                {"max_connections.tenant.t@x", "1"}, {"maxconnections", "1"}}) {
            assertNotNull(bad[0], f.configure(map(bad)));
        }
        assertEquals(1, f.config().rules.size());
        assertEquals(3, f.config().userLimit("app", "app", "demo"));
    }

    @Test
    public void countersSurviveAReloadThatKeepsTheRule() {
        WhitelistLoginFilter f = filter("rule.1", "app 127.0.0.1");
        f.onLogin(login("app", "t", "c", "127.0.0.1"));
        assertNull(f.configure(map("rule.1", "app 127.0.0.1", "rule.2", "bob 127.0.0.1")));
        assertEquals(1, f.config().rules.get(0).allowed.get());
    }

    @Test
    public void perUserTenantAndGlobalLimits() {
        WhitelistLoginFilter f = filter("max_connections", "5", "max_connections.tenant.t", "4",
                "max_connections.user.app@t#c", "2");
        LoginRequest a1 = login("app", "t", "c", "127.0.0.1");
        LoginRequest a2 = login("app", "t", "c", "127.0.0.1");
        assertEquals(FilterResult.Action.ACCEPT, f.onLogin(a1).action());
        assertEquals(FilterResult.Action.ACCEPT, f.onLogin(a2).action());
        FilterResult r = f.onLogin(login("app", "t", "c", "127.0.0.1"));
        assertEquals(1040, r.errorCode());
        assertEquals("08004", r.sqlState());
        assertEquals("Too many connections", r.message());
        // the tenant limit: two more users fill tenant t
        assertEquals(FilterResult.Action.ACCEPT, f.onLogin(login("bob", "t", "c", "127.0.0.1")).action());
        assertEquals(FilterResult.Action.ACCEPT, f.onLogin(login("bob", "t", "c", "127.0.0.1")).action());
        assertEquals(1040, f.onLogin(login("carl", "t", "c", "127.0.0.1")).errorCode());
        // the global limit: one more in another tenant, then none
        assertEquals(FilterResult.Action.ACCEPT, f.onLogin(login("carl", "u", "c", "127.0.0.1")).action());
        assertEquals(1040, f.onLogin(login("dora", "v", "c", "127.0.0.1")).errorCode());
        assertEquals(5, f.openConnections());
        // logout frees exactly one place, however often it is reported
        f.onLogout(a1);
        f.onLogout(a1);
        f.onLogout(new LoginRequest("app", "t", "c", a1.clientAddress()));
        assertEquals(4, f.openConnections());
        assertEquals(FilterResult.Action.ACCEPT, f.onLogin(login("app", "t", "c", "127.0.0.1")).action());
        assertEquals(1040, f.onLogin(login("app", "t", "c", "127.0.0.1")).errorCode());
        // an unknown logout (a session older than the filter) changes nothing
        f.onLogout(login("zed", "t", "c", "127.0.0.1"));
        assertEquals(5, f.openConnections());
        // a refused login holds no place
        assertEquals(5, f.limits().global());
        assertEquals(Map.of("t#c", 4, "u#c", 1), f.limits().tenants());
        assertEquals(Map.of("app@t#c", 2, "bob@t#c", 2, "carl@u#c", 1), f.limits().users());
    }

    @Test
    public void userLimitKeysFromMostToLeastSpecific() throws Exception {
        WhitelistConfig c = WhitelistConfig.parse(map("max_connections.user.app", "1", "max_connections.user.app@t",
                "2", "max_connections.user.app@t#c", "3", "max_connections.tenant.t#c", "7", "max_connections.tenant.t",
                "8"));
        assertEquals(3, c.userLimit("app", "t", "c"));
        assertEquals(2, c.userLimit("app", "t", "d"));
        assertEquals(1, c.userLimit("app", "u", "d"));
        assertEquals(-1, c.userLimit("bob", "t", "c"));
        assertEquals(7, c.tenantLimit("t", "c"));
        assertEquals(8, c.tenantLimit("t", "d"));
        assertEquals(-1, c.tenantLimit("u", "c"));
        assertEquals(8192, c.maxConnections);
    }

    @Test
    public void concurrentLoginsNeverPassTheLimitAndAllPlacesComeBack() throws Exception {
        WhitelistLoginFilter f = filter("max_connections.user.app@t#c", "10");
        int threads = 8;
        AtomicInteger maxSeen = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> all = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int base = 20000 + t * 1000;
            Thread th = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < 1000; i++) {
                    LoginRequest l = new LoginRequest("app", "t", "c", new InetSocketAddress("127.0.0.1", base + i));
                    if (f.onLogin(l).action() == FilterResult.Action.ACCEPT) {
                        maxSeen.accumulateAndGet(f.limits().users().getOrDefault("app@t#c", 0), Math::max);
                        f.onLogout(l);
                        f.onLogout(l);
                    }
                }
            });
            th.start();
            all.add(th);
        }
        start.countDown();
        for (Thread th : all) {
            th.join();
        }
        assertTrue("max " + maxSeen, maxSeen.get() <= 10);
        assertEquals(0, f.openConnections());
        assertEquals(Map.of(), f.limits().users());
    }

    @Test
    public void commandEditsTheFileKeepingCommentsAndAppliesIt() throws Exception {
        Path dir = Files.createTempDirectory("wl");
        Path file = dir.resolve("dev.junction.whitelist.cfg");
        Files.writeString(file, "# my comment\nmax_connections = 100\n\n# rules\nrule.3 = bob 10.0.0.0/8\n");
        WhitelistLoginFilter f = new WhitelistLoginFilter();
        Map<String, Object> props = CfgEdit.properties(Files.readString(file));
        props.put("felix.fileinstall.filename", file.toUri().toString());
        assertNull(f.configure(props));
        WhitelistCommand cmd = new WhitelistCommand(f);
        String out = cmd.execute(List.of("add", "app@app#demo", "127.0.0.1/32, ::1")).message();
        assertTrue(out, out.contains("rule.4 added"));
        String text = Files.readString(file);
        assertTrue(text, text.startsWith("# my comment\nmax_connections = 100\n\n# rules\nrule.3 = bob 10.0.0.0/8\n"));
        assertTrue(text, text.endsWith("rule.4 = app@app#demo 127.0.0.1/32,::1\n"));
        assertEquals(2, f.config().rules.size());
        assertEquals(FilterResult.Action.REJECT, f.onLogin(login("app", "app", "demo", "127.0.0.2")).action());

        out = refusal(cmd, "add", "app", "10.0.0.0/33");
        assertTrue(out, out.startsWith("Not changed: rule.5: "));
        assertEquals(text, Files.readString(file));

        out = cmd.execute(List.of("remove", "3")).message();
        assertTrue(out, out.contains("rule.3 removed"));
        assertEquals("# my comment\nmax_connections = 100\n\n# rules\nrule.4 = app@app#demo 127.0.0.1/32,::1\n",
                Files.readString(file));
        assertEquals(1, f.config().rules.size());
        assertTrue(refusal(cmd, "remove", "9").startsWith("No rule.9"));
        assertTrue(refusal(cmd, "frobnicate").contains("whitelist add"));
        AdminTable list = cmd.execute(List.of());
        assertEquals(WhitelistCommand.COLUMNS, list.columns());
        assertEquals(List.of("rule.4", "app@app#demo", "127.0.0.1,::1", "", "0", "1"), list.rows().get(0));
        assertEquals(List.of("max_connections", "*", "100", "0", "", "0"), list.rows().get(1));
        assertFalse(list.rows().toString(), list.rows().toString().contains("bob"));
        try (var s = Files.list(dir)) {
            assertEquals("no temporary file left behind", 1, s.count());
        }
    }

    private static String refusal(WhitelistCommand cmd, String... args) {
        try {
            cmd.execute(List.of(args));
        } catch (AdminCommandException e) {
            return e.getMessage();
        }
        throw new AssertionError("not refused: " + List.of(args));
    }
}
