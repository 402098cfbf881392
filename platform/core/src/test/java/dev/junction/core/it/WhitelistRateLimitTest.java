package dev.junction.core.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import dev.junction.ratelimit.WhitelistLoginFilter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;
import org.junit.After;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * The whitelist-ratelimit bundle's login filter registered with a live proxy, driven by MariaDB Connector/J: a
 * client address outside the whitelist is refused with 1045 naming the host before any server is contacted, and a
 * per-user connection cap refuses the connection over it with 1040 until one closes.
 */
public class WhitelistRateLimitTest {

    private static JunctionFixture junction;
    private WhitelistLoginFilter filter;

    @BeforeClass
    public static void up() throws Exception {
        junction = JunctionFixture.start(Map.of());
    }

    @AfterClass
    public static void down() {
        junction.close();
    }

    private WhitelistLoginFilter register(String... kv) {
        WhitelistLoginFilter f = new WhitelistLoginFilter();
        Map<String, Object> props = new java.util.HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            props.put(kv[i], kv[i + 1]);
        }
        assertNull(f.configure(props));
        junction.services.loginFilters().add(f, "whitelist", Integer.MIN_VALUE, -1);
        filter = f;
        return f;
    }

    @After
    public void unregister() {
        if (filter != null) {
            junction.services.loginFilters().remove(filter);
            filter = null;
        }
    }

    private Connection connect(String from) throws SQLException {
        return DriverManager.getConnection(junction.mariadbUrl(from == null ? "" : "localSocketAddress=" + from));
    }

    private static void await(String what, int expected, IntSupplier actual) throws InterruptedException {
        for (int i = 0; i < 250 && actual.getAsInt() != expected; i++) {
            Thread.sleep(20);
        }
        assertEquals(what, expected, actual.getAsInt());
    }

    @Test
    public void aClientOutsideTheWhitelistIsRefusedNamingItsHost() throws Exception {
        WhitelistLoginFilter f = register("rule.1", "app@app#demo 127.0.0.1/32,::1");
        int sessionsBefore = junction.server.sessions().size();
        try {
            connect("127.0.0.2").close();
            fail("127.0.0.2 is not in the whitelist");
        } catch (SQLException e) {
            assertEquals(e.getMessage(), 1045, e.getErrorCode());
            assertEquals("28000", e.getSQLState());
            assertTrue(e.getMessage(), e.getMessage().contains(
                    "Access denied for user 'app' from host '127.0.0.2' (Junction whitelist)"));
        }
        assertEquals("a refused login holds no place", 0, f.openConnections());
        try (Connection c = connect("127.0.0.1"); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT 1")) {
            assertTrue(rs.next());
            assertEquals(1, f.openConnections());
        }
        await("the logout gave the place back", 0, f::openConnections);
        await("no session left", sessionsBefore, () -> junction.server.sessions().size());
    }

    @Test
    public void thePerUserCapRefusesTheConnectionOverItUntilOneCloses() throws Exception {
        WhitelistLoginFilter f = register("max_connections.user.app@app#demo", "3");
        List<Connection> open = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                open.add(connect(null));
            }
            try {
                connect(null).close();
                fail("the 4th connection of app must be refused");
            } catch (SQLException e) {
                assertEquals(e.getMessage(), 1040, e.getErrorCode());
                assertEquals("08004", e.getSQLState());
                assertTrue(e.getMessage(), e.getMessage().contains("Too many connections"));
            }
            assertEquals(3, f.openConnections());
            open.remove(0).close();
            await("closing one frees its place", 2, f::openConnections);
            open.add(connect(null));
            try (Statement s = open.get(2).createStatement(); ResultSet rs = s.executeQuery("SELECT 1")) {
                assertTrue(rs.next());
            }
            assertEquals(3, f.openConnections());
        } finally {
            for (Connection c : open) {
                c.close();
            }
        }
        await("every place comes back exactly once", 0, f::openConnections);
    }
}
