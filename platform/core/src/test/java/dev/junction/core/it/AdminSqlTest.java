package dev.junction.core.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import dev.junction.api.health.DisasterCheck;
import dev.junction.api.health.Verdict;
import dev.junction.api.routing.RouteDecision;
import dev.junction.api.routing.RoutingPolicy;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/** {@code root@proxysys}: login with the right and wrong password, and every admin command over JDBC. */
public class AdminSqlTest {

    private static JunctionFixture junction;

    @BeforeClass
    public static void up() throws Exception {
        junction = JunctionFixture.start(Map.of());
    }

    @AfterClass
    public static void down() {
        junction.close();
    }

    private static Connection admin(String password) throws SQLException {
        return DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + junction.port + "/", "root@proxysys", password);
    }

    /** The result as rows of "col=value" joined, for assertions. */
    private static List<String> rows(Statement s, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (ResultSet rs = s.executeQuery(sql)) {
            ResultSetMetaData md = rs.getMetaData();
            while (rs.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    row.append(i > 1 ? " | " : "").append(md.getColumnLabel(i)).append('=').append(rs.getString(i));
                }
                out.add(row.toString());
            }
        }
        return out;
    }

    @Test
    public void wrongPasswordIsRefused() {
        for (String pw : new String[] {"wrong", ""}) {
            try {
                admin(pw).close();
                fail("must be refused: '" + pw + "'");
            } catch (SQLException e) {
                assertEquals(1045, e.getErrorCode());
            }
        }
        try {
            DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + junction.port + "/", "app@proxysys",
                    JunctionFixture.ADMIN_PASSWORD).close();
            fail("only root may log in to proxysys");
        } catch (SQLException e) {
            assertEquals(1045, e.getErrorCode());
        }
    }

    @Test
    public void everyAdminCommandAnswersWithARealResultSet() throws Exception {
        RoutingPolicy policy = req -> RouteDecision.prefer(req.candidates(), "keeps the order");
        DisasterCheck check = candidate -> Verdict.demote("test demotion");
        junction.services.policies().add(policy, "sql-test-policy", 50, -1);
        junction.services.checks().add(check, "sql-test-check", 0, -1);
        try (Connection app = DriverManager.getConnection(junction.mariadbUrl(""));
                Connection c = admin(JunctionFixture.ADMIN_PASSWORD); Statement s = c.createStatement()) {
            try (Statement a = app.createStatement()) {
                a.executeQuery("SELECT 1").close();
            }

            List<String> config = rows(s, "show proxyconfig");
            assertTrue(config.toString(), config.stream().anyMatch(r -> r.startsWith("name=listen_port")));
            assertTrue(config.toString(), config.stream().anyMatch(r -> r.startsWith("name=policy_budget")));
            assertTrue("the password hash is never shown: " + config,
                    config.stream().anyMatch(r -> r.startsWith("name=password | value=(set)")));
            List<String> like = rows(s, "show proxyconfig like '%timeout%'");
            assertTrue(like.toString(), like.size() >= 4 && like.stream().allMatch(r -> r.contains("timeout")));

            s.execute("alter proxyconfig set connect_timeout = '7s'");
            assertEquals("7s", junction.configs.get("dev.junction.proxy").get("connect_timeout"));
            assertTrue(rows(s, "show proxyconfig like 'connect_timeout'").get(0).contains("value=7s"));
            try {
                s.execute("alter proxyconfig set listen_port = 'not-a-port'");
                fail("an invalid value is refused");
            } catch (SQLException e) {
                assertEquals(1210, e.getErrorCode());
                assertTrue(e.getMessage(), e.getMessage().contains("listen_port"));
            }
            try {
                s.execute("alter proxyconfig set no_such_key = 1");
                fail("an unknown key is refused");
            } catch (SQLException e) {
                assertEquals(1193, e.getErrorCode());
            }

            List<String> sessions = rows(s, "show proxysession");
            String appRow = sessions.stream().filter(r -> r.contains("| User=app | Tenant=app | Cluster=demo")).findFirst()
                    .orElseThrow(() -> new AssertionError("no app session in " + sessions));
            long appId = Long.parseLong(appRow.substring(3, appRow.indexOf(' ')));
            assertTrue(sessions.toString(), sessions.stream().anyMatch(r -> r.contains("User=root") && r.contains("Info=show proxysession")));

            assertTrue(rows(s, "show proxyroute").isEmpty());

            List<String> congestion = rows(s, "show proxycongestion");
            assertEquals(congestion.toString(), 2, congestion.size());
            assertTrue(congestion.toString(), congestion.get(0).contains("check=sql-test-check")
                    && congestion.get(0).contains("verdict=demote (test demotion)"));

            List<String> clusters = rows(s, "show proxycluster");
            assertEquals(clusters.toString(), 2, clusters.size());
            assertTrue(clusters.toString(), clusters.get(0).contains("cluster=demo") && clusters.get(0).contains("tenants=app"));

            List<String> explain = rows(s, "explain route SELECT * FROM t WHERE id = 1");
            String text = String.join("\n", explain);
            assertTrue(text, text.contains("sql-test-policy") && text.contains("keeps the order"));
            assertTrue(text, text.contains("demoted") && text.contains("analysis"));

            s.execute("ping proxy");
            List<String> version = rows(s, "select proxy_version()");
            assertEquals(List.of("proxy_version()=test-version"), version);

            s.execute("kill proxysession " + appId);
            try (Statement a = app.createStatement()) {
                for (int i = 0; i < 50; i++) {
                    a.executeQuery("SELECT 1").close();
                    Thread.sleep(20);
                }
                fail("the killed session must be closed");
            } catch (SQLException expected) {
                assertNotNull(expected.getMessage());
            }
            try {
                s.execute("SELECT * FROM test.whoami");
                fail("root@proxysys never reaches a server");
            } catch (SQLException e) {
                assertEquals(1235, e.getErrorCode());
            }
        } finally {
            junction.services.policies().remove(policy);
            junction.services.checks().remove(check);
        }
    }

    @Test
    public void bundleCommandsAnswerOnTheSqlFaceWithTheShellsArguments() throws Exception {
        List<List<String>> calls = new java.util.concurrent.CopyOnWriteArrayList<>();
        dev.junction.api.admin.AdminCommand echo = args -> {
            calls.add(args);
            if (args.isEmpty()) {
                return dev.junction.api.admin.AdminTable.of(List.of("server", "lists"),
                        List.of(List.of("127.0.0.1:1", "detect"), java.util.Arrays.asList("127.0.0.1:2", null)));
            }
            if (args.get(0).equals("bad")) {
                throw new dev.junction.api.admin.AdminCommandException("bad is not a command of echo");
            }
            return dev.junction.api.admin.AdminTable.message("did " + String.join("/", args));
        };
        junction.admin.addCommand("echo", echo, "[words]  echoes");
        try (Connection c = admin(JunctionFixture.ADMIN_PASSWORD); Statement s = c.createStatement()) {
            assertEquals(List.of("server=127.0.0.1:1 | lists=detect", "server=127.0.0.1:2 | lists=null"),
                    rows(s, "show proxyecho"));
            s.execute("alter proxyecho add 'a b' \"c\" d");
            assertEquals(List.of("add", "a b", "c", "d"), calls.get(calls.size() - 1));
            try {
                s.execute("alter proxyecho bad");
                fail("a refused admin command is an error");
            } catch (SQLException e) {
                assertEquals(1210, e.getErrorCode());
                assertEquals("bad is not a command of echo", e.getMessage().replaceAll("^.*\\) ", "").trim());
            }
            try {
                s.execute("show proxynosuchthing");
                fail("unknown admin command");
            } catch (SQLException e) {
                assertEquals(1235, e.getErrorCode());
                assertTrue(e.getMessage(), e.getMessage().contains("show|alter proxyecho"));
            }
        }
        assertEquals("did x/y", junction.admin.contributed("echo", List.of("x", "y")).message());
    }
}
