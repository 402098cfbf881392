package dev.junction.core.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

public class SmokeTest {

    private static JunctionFixture junction;

    @BeforeClass
    public static void up() throws Exception {
        junction = JunctionFixture.start(Map.of());
    }

    @AfterClass
    public static void down() {
        junction.close();
    }

    @Test
    public void mariadbDriverRunsAQuery() throws Exception {
        try (Connection c = DriverManager.getConnection(junction.mariadbUrl("")); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT 1 + 1")) {
            assertTrue(rs.next());
            assertEquals(2, rs.getInt(1));
        }
    }

    @Test
    public void mysqlDriverRunsAQuery() throws Exception {
        try (Connection c = DriverManager.getConnection(junction.mysqlUrl("")); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT port FROM whoami")) {
            assertTrue(rs.next());
            assertTrue(junction.dbPorts.contains(rs.getInt(1)));
        }
    }
}
