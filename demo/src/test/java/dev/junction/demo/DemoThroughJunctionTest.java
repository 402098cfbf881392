package dev.junction.demo;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * What a user of the demo sees: the built distribution unpacked, the three-server demo cluster
 * configured into it, {@code bin/junction start}, and real clients — the {@code mariadb} command-line
 * client, MariaDB Connector/J and MySQL Connector/J — talking to the cluster through Junction.
 */
public class DemoThroughJunctionTest {

    private static Path home;
    private static DemoCluster cluster;
    private static int junctionPort;

    @BeforeClass
    public static void startDemo() throws Exception {
        Path tarball = Path.of(System.getProperty("junction.dist.tarball", "missing"));
        assertTrue("built tarball " + tarball, Files.isRegularFile(tarball));
        Path dir = Files.createTempDirectory("junction-demo-it-");
        assertEquals(0, run(dir, "tar", "xzf", tarball.toString()).exit);
        try (Stream<Path> s = Files.list(dir)) {
            home = s.findFirst().orElseThrow();
        }
        List<Integer> ports = DemoClusterTest.freePorts(5);
        junctionPort = ports.get(3);
        Files.writeString(home.resolve("etc/dev.junction.ssh.cfg"),
                Files.readString(home.resolve("etc/dev.junction.ssh.cfg")).replaceAll("(?m)^port = .*$", "port = " + ports.get(4)));
        cluster = new DemoCluster(home, ports.subList(0, 3));
        cluster.start();
        cluster.writeConfig(junctionPort);
        Result start = run(home, home.resolve("bin/junction").toString(), "start");
        assertEquals(start.output, 0, start.exit);
    }

    @AfterClass
    public static void stopDemo() throws Exception {
        if (home != null) {
            run(home, home.resolve("bin/junction").toString(), "stop");
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test(timeout = 60_000)
    public void theMariadbCommandLineClientReachesEveryZoneThroughJunction() throws Exception {
        assumeTrue("the mariadb command-line client is installed (test.sh installs it)", onPath("mariadb"));
        Set<String> servers = new HashSet<>();
        for (int i = 0; i < 6; i++) {
            Result r = run(home, "mariadb", "-h", "127.0.0.1", "-P", Integer.toString(junctionPort), "-u", "app", "-papp",
                    "--batch", "--skip-column-names", "demo", "-e", "SELECT @@port; SELECT 1 + 1");
            assertEquals(r.output, 0, r.exit);
            String[] lines = r.output.trim().split("\n");
            assertEquals(r.output, "2", lines[lines.length - 1].trim());
            servers.add(lines[0].trim());
        }
        assertEquals("table-less round robin reaches all three zones: " + servers, 3, servers.size());

        Result denied = run(home, "mariadb", "-h", "127.0.0.1", "-P", Integer.toString(junctionPort), "-u", "app", "-pwrong",
                "demo", "-e", "SELECT 1");
        assertTrue(denied.output, denied.exit != 0 && denied.output.contains("1045"));
    }

    @Test(timeout = 60_000)
    public void whoamiIsReadFromItsLeaderInZ1() throws Exception {
        String leader = cluster.servers().get(0).whoami();
        try (Connection c = DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + junctionPort
                + "/demo?user=app&password=app"); Statement st = c.createStatement()) {
            // the first statements may run before the route of demo.whoami is fetched (then on any server)
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!leader.equals(whoami(st))) {
                assertTrue("demo.whoami never reached its leader " + leader, System.nanoTime() < deadline);
                Thread.sleep(50);
            }
            for (int i = 0; i < 5; i++) {
                assertEquals("the metadata names z1 the leader of demo.whoami", leader, whoami(st));
            }
        }
    }

    private static String whoami(Statement st) throws Exception {
        try (ResultSet rs = st.executeQuery("SELECT server FROM whoami")) {
            assertTrue(rs.next());
            return rs.getString(1);
        }
    }

    @Test(timeout = 60_000)
    public void bothJdbcDriversWorkThroughJunction() throws Exception {
        String[] urls = {
            "jdbc:mariadb://127.0.0.1:" + junctionPort + "/demo?user=app&password=app",
            "jdbc:mysql://127.0.0.1:" + junctionPort + "/demo?user=app&password=app&useSSL=false&allowPublicKeyRetrieval=true",
        };
        for (String url : urls) {
            try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
                c.setAutoCommit(false);
                String first;
                try (ResultSet rs = st.executeQuery("SELECT server FROM whoami")) {
                    assertTrue(url, rs.next());
                    first = rs.getString(1);
                }
                for (int i = 0; i < 3; i++) {
                    try (ResultSet rs = st.executeQuery("SELECT server FROM whoami")) {
                        assertTrue(rs.next());
                        assertEquals("a transaction stays on one server (" + url + ")", first, rs.getString(1));
                    }
                }
                c.rollback();
            }
        }
    }

    private record Result(int exit, String output) {
    }

    private static Result run(Path dir, String... cmd) throws Exception {
        Path out = Files.createTempFile("junction-demo-it-", ".out");
        try {
            Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(out.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(String.join(" ", cmd) + " did not finish within 60 s");
            }
            return new Result(p.exitValue(), Files.readString(out));
        } finally {
            Files.deleteIfExists(out);
        }
    }

    private static boolean onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }

}
