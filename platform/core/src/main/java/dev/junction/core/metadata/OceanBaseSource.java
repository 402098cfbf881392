package dev.junction.core.metadata;

import dev.junction.api.topology.Replica;
import dev.junction.api.topology.ReplicaRole;
import dev.junction.api.topology.ReplicaType;
import dev.junction.api.topology.ServerAddress;
import dev.junction.api.topology.ServerState;
import dev.junction.api.topology.Zone;
import dev.junction.core.metadata.PartitionInfo.KeyType;
import dev.junction.core.metadata.PartitionInfo.Type;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads OceanBase's proxy metadata tables over one blocking connection to an rslist server (or, when none
 * answers, any ACTIVE server of the last topology). Tables read, all in {@code metadata.database}:
 * <ul>
 * <li>{@code __all_virtual_proxy_server_stat}: svr_ip, svr_port, zone, status, start_service_time, stop_time;
 * an extra {@code sql_port} column, when present, is the SQL port (otherwise svr_port is);</li>
 * <li>{@code __all_virtual_zone_stat}: zone, status, is_merging, region, spare4 (idc), spare5 (ReadOnly);</li>
 * <li>{@code __all_tenant}: tenant_name, primary_zone, locality;</li>
 * <li>{@code __all_virtual_proxy_schema}: the {@code __all_dummy} rows give each tenant's servers; per table
 * (lazily): partition_id, svr_ip, sql_port, table_id, role (1 leader, 2 follower), part_num, replica_num,
 * spare1 (0 FULL, 5 LOGONLY, 16 READONLY);</li>
 * <li>{@code __all_virtual_proxy_partition_info} (partitioned tables): part_level, part_num, part_type,
 * part_key_name, part_key_type and optionally part_key_idx / part_key_level; one row per key column, or one
 * row with comma-separated names and types;</li>
 * <li>{@code __all_virtual_proxy_partition} (RANGE/LIST tables): part_id, part_name, high_bound_val,
 * list_val, in the textual form of the DDL ({@code 100}, {@code 'm'}, {@code MAXVALUE}, {@code 1,2,3},
 * {@code (1,'a'),(2,'b')}, {@code DEFAULT}).</li>
 * </ul>
 * {@code part_type} is a name (HASH, KEY, RANGE, RANGE_COLUMNS, LIST, LIST_COLUMNS) or OceanBase 3.x's
 * numeric function type (0/8 HASH, 1/2/6/9/10 KEY, 3 RANGE, 4 RANGE_COLUMNS, 5 LIST, 7 LIST_COLUMNS — our
 * reading of its source, not verified on a live cluster); {@code part_key_type} a SQL type name or an
 * ObObjType number (1..10 integers, 22/23 varchar/char).
 */
final class OceanBaseSource implements MetadataSource {

    static final String SERVER_STAT = "__all_virtual_proxy_server_stat";
    static final String ZONE_STAT = "__all_virtual_zone_stat";
    static final String TENANT = "__all_tenant";
    static final String SCHEMA = "__all_virtual_proxy_schema";
    static final String PARTITION_INFO = "__all_virtual_proxy_partition_info";
    static final String PARTITION = "__all_virtual_proxy_partition";

    private static final Pattern LOCALITY_ZONE = Pattern.compile("@\\s*([A-Za-z0-9_.-]+)");

    private final MetadataConfig config;
    private final Supplier<List<ServerAddress>> rslist;
    private final String name;
    private MetaClient client;
    private volatile Topology known;

    OceanBaseSource(MetadataConfig config, Supplier<List<ServerAddress>> rslist, String name) {
        this.config = config;
        this.rslist = rslist;
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean supportsTables() {
        return true;
    }

    /** The server metadata queries currently go to, or null. */
    ServerAddress connectedTo() {
        MetaClient c = client;
        return c == null ? null : c.address();
    }

    // ---- connection --------------------------------------------------------------------------------

    private MetaClient client() throws IOException {
        if (client != null) {
            return client;
        }
        Set<ServerAddress> candidates = new LinkedHashSet<>(rslist.get());
        Topology t = known;
        if (t != null) {
            for (ServerInfo s : t.servers().values()) {
                if (s.state() == ServerState.ACTIVE) {
                    candidates.add(s.address());
                }
            }
        }
        if (candidates.isEmpty()) {
            throw new IOException("no rslist server to ask");
        }
        StringBuilder why = new StringBuilder();
        for (ServerAddress a : candidates) {
            try {
                client = MetaClient.connect(a, config.user(), config.password(), "", config.connectTimeoutMillis(),
                        config.queryTimeoutMillis());
                return client;
            } catch (IOException e) {
                why.append(why.length() == 0 ? "" : "; ").append(a).append(": ").append(describe(e));
            }
        }
        throw new IOException("no rslist server reachable (" + why + ")");
    }

    private static String describe(Exception e) {
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + m;
    }

    /** Runs a query; a broken connection is dropped and the query tried once more on a fresh one. */
    private ResultRows query(String table, String sql) throws IOException, MetadataException {
        for (int attempt = 0;; attempt++) {
            MetaClient c = client();
            try {
                return c.query(sql);
            } catch (MetaClient.SqlError e) {
                throw new MetadataException(table + ": " + e.getMessage(), e);
            } catch (IOException | RuntimeException e) {
                dropClient();
                if (attempt > 0) {
                    throw new IOException(c.address() + ": " + describe(e), e);
                }
            }
        }
    }

    private void dropClient() {
        if (client != null) {
            client.close();
            client = null;
        }
    }

    @Override
    public void close() {
        dropClient();
    }

    private String from(String table) {
        return config.database() + "." + table;
    }

    static String quote(String s) {
        return "'" + s.replace("\\", "\\\\").replace("'", "''") + "'";
    }

    // ---- topology ----------------------------------------------------------------------------------

    @Override
    public Topology fetchTopology(Topology previous) throws IOException, MetadataException {
        if (known == null && previous != null && !previous.isEmpty()) {
            known = previous;
        }
        Map<String, Zone> zones = new LinkedHashMap<>();
        Map<String, String> zoneStatus = new LinkedHashMap<>();
        ResultRows zr = query(ZONE_STAT, "SELECT * FROM " + from(ZONE_STAT));
        int zZone = zr.require(ZONE_STAT, "zone");
        int zStatus = zr.column("status");
        int zMerging = zr.column("is_merging");
        int zRegion = zr.column("region");
        int zIdc = zr.column("spare4");
        int zRw = zr.column("spare5");
        for (String[] r : zr.rows()) {
            String zn = nonEmpty(ZONE_STAT, "zone", r[zZone]);
            zones.put(zn, new Zone(zn, text(r, zRegion), text(r, zIdc), number(ZONE_STAT, "is_merging", r, zMerging) != 0,
                    "ReadOnly".equalsIgnoreCase(text(r, zRw))));
            zoneStatus.put(zn, text(r, zStatus));
        }

        ResultRows sr = query(SERVER_STAT, "SELECT * FROM " + from(SERVER_STAT));
        int sIp = sr.require(SERVER_STAT, "svr_ip");
        int sPort = sr.column("sql_port") >= 0 ? sr.column("sql_port") : sr.require(SERVER_STAT, "svr_port");
        int sZone = sr.require(SERVER_STAT, "zone");
        int sStatus = sr.require(SERVER_STAT, "status");
        int sStart = sr.column("start_service_time");
        int sStop = sr.column("stop_time");
        Map<ServerAddress, ServerInfo> servers = new LinkedHashMap<>();
        for (String[] r : sr.rows()) {
            ServerAddress a = address(SERVER_STAT, r[sIp], r[sPort]);
            String zn = nonEmpty(SERVER_STAT, "zone", r[sZone]);
            zones.computeIfAbsent(zn, n -> new Zone(n, "", "", false, false));
            long start = sStart < 0 ? 1 : number(SERVER_STAT, "start_service_time", r, sStart);
            long stop = number(SERVER_STAT, "stop_time", r, sStop);
            ServerState st = state(text(r, sStatus), start, stop, zoneStatus.get(zn));
            servers.put(a, new ServerInfo(a, zn, st, start, stop));
        }
        if (servers.isEmpty()) {
            throw new MetadataException(SERVER_STAT + " lists no servers");
        }
        if (previous != null) {
            for (ServerInfo old : previous.servers().values()) {
                if (!servers.containsKey(old.address()) && old.state() != ServerState.DELETED) {
                    servers.put(old.address(), new ServerInfo(old.address(), old.zone(), ServerState.DELETED,
                            old.startServiceTime(), old.stopTime()));
                }
            }
        }

        ResultRows tr = query(TENANT, "SELECT * FROM " + from(TENANT));
        int tName = tr.require(TENANT, "tenant_name");
        int tPz = tr.column("primary_zone");
        int tLoc = tr.column("locality");
        Map<String, List<ServerAddress>> dummies = tenantServersFromDummy();
        Map<String, TenantInfo> tenants = new LinkedHashMap<>();
        for (String[] r : tr.rows()) {
            String tn = nonEmpty(TENANT, "tenant_name", r[tName]);
            String locality = text(r, tLoc);
            List<ServerAddress> ts = dummies.get(tn.toLowerCase(Locale.ROOT));
            if (ts == null || ts.isEmpty()) {
                ts = serversOfZones(localityZones(locality), zones, servers);
            }
            tenants.put(tn.toLowerCase(Locale.ROOT), new TenantInfo(tn, text(r, tPz), locality, ts));
        }
        Topology t = new Topology(config.cluster(), zones, servers, tenants, name, System.currentTimeMillis());
        known = t;
        return t;
    }

    /** {@code __all_dummy} rows of the schema table: each tenant's servers. Absent → empty (not an error). */
    private Map<String, List<ServerAddress>> tenantServersFromDummy() throws IOException {
        Map<String, List<ServerAddress>> out = new LinkedHashMap<>();
        try {
            ResultRows rr = query(SCHEMA, "SELECT tenant_name, svr_ip, sql_port FROM " + from(SCHEMA)
                    + " WHERE table_name = '__all_dummy'");
            for (String[] r : rr.rows()) {
                if (r[0] == null) {
                    continue;
                }
                List<ServerAddress> l = out.computeIfAbsent(r[0].toLowerCase(Locale.ROOT), k -> new ArrayList<>());
                ServerAddress a = address(SCHEMA, r[1], r[2]);
                if (!l.contains(a)) {
                    l.add(a);
                }
            }
        } catch (MetadataException e) {
            return Map.of();
        }
        return out;
    }

    static List<String> localityZones(String locality) {
        List<String> out = new ArrayList<>();
        Matcher m = LOCALITY_ZONE.matcher(locality == null ? "" : locality);
        while (m.find()) {
            if (!out.contains(m.group(1))) {
                out.add(m.group(1));
            }
        }
        return out;
    }

    private static List<ServerAddress> serversOfZones(List<String> wanted, Map<String, Zone> zones,
            Map<ServerAddress, ServerInfo> servers) {
        List<ServerAddress> out = new ArrayList<>();
        for (String z : wanted.isEmpty() ? new ArrayList<>(zones.keySet()) : wanted) {
            for (ServerInfo s : servers.values()) {
                if (s.zone().equals(z) && s.state() != ServerState.DELETED) {
                    out.add(s.address());
                }
            }
        }
        return out;
    }

    /** OBProxy's reading of a server row: status first, then whether it serves yet / is being stopped. */
    static ServerState state(String status, long startServiceTime, long stopTime, String zoneStatus)
            throws MetadataException {
        String s = status == null ? "" : status.trim().toLowerCase(Locale.ROOT);
        ServerState st;
        switch (s) {
            case "active":
                st = startServiceTime <= 0 ? ServerState.REPLAY : stopTime > 0 ? ServerState.UPGRADE : ServerState.ACTIVE;
                break;
            case "inactive":
                st = ServerState.INACTIVE;
                break;
            case "deleting":
                st = ServerState.DELETING;
                break;
            default:
                throw new MetadataException(SERVER_STAT + ": unknown status '" + status + "'");
        }
        if (st == ServerState.ACTIVE && zoneStatus != null && zoneStatus.equalsIgnoreCase("INACTIVE")) {
            st = ServerState.INACTIVE;
        }
        return st;
    }

    // ---- tables ------------------------------------------------------------------------------------

    @Override
    public TableRoute fetchTable(TableRoute.Key key, Topology topology, long generation)
            throws IOException, MetadataException {
        ResultRows rr = query(SCHEMA, "SELECT * FROM " + from(SCHEMA) + " WHERE tenant_name = " + quote(key.tenant())
                + " AND database_name = " + quote(key.database()) + " AND table_name = " + quote(key.table()));
        long now = System.nanoTime();
        if (rr.rows().isEmpty()) {
            return new TableRoute(config.cluster(), key.tenant(), key.database(), key.table(), false, 0,
                    PartitionInfo.NONE, List.of(), now, generation);
        }
        int cPart = rr.require(SCHEMA, "partition_id");
        int cIp = rr.require(SCHEMA, "svr_ip");
        int cPort = rr.require(SCHEMA, "sql_port");
        int cTable = rr.require(SCHEMA, "table_id");
        int cRole = rr.require(SCHEMA, "role");
        int cPartNum = rr.require(SCHEMA, "part_num");
        int cType = rr.column("spare1");
        long tableId = number(SCHEMA, "table_id", rr.rows().get(0), cTable);
        long partNum = number(SCHEMA, "part_num", rr.rows().get(0), cPartNum);
        TreeMap<Long, List<Replica>> parts = new TreeMap<>();
        for (String[] r : rr.rows()) {
            long pid = number(SCHEMA, "partition_id", r, cPart);
            ServerAddress a = address(SCHEMA, r[cIp], r[cPort]);
            long role = number(SCHEMA, "role", r, cRole);
            long type = number(SCHEMA, "spare1", r, cType);
            parts.computeIfAbsent(pid, k -> new ArrayList<>()).add(new Replica(a, topology.zoneOf(a),
                    role == 1 ? ReplicaRole.LEADER : ReplicaRole.FOLLOWER, replicaType(type), topology.stateOf(a)));
        }
        List<PartitionReplicas> partitions = new ArrayList<>();
        for (Map.Entry<Long, List<Replica>> e : parts.entrySet()) {
            List<Replica> l = e.getValue();
            l.sort(Comparator.comparing(r -> r.isLeader() ? 0 : 1));
            partitions.add(new PartitionReplicas(e.getKey(), l));
        }
        PartitionInfo info = PartitionInfo.NONE;
        if (partNum > 1 || partitions.size() > 1) {
            info = partitionInfo(key, tableId, (int) Math.max(partNum, partitions.size()));
        }
        return new TableRoute(config.cluster(), key.tenant(), key.database(), key.table(), true, tableId, info,
                partitions, now, generation);
    }

    private PartitionInfo partitionInfo(TableRoute.Key key, long tableId, int partNum)
            throws IOException, MetadataException {
        ResultRows pr = query(PARTITION_INFO, "SELECT * FROM " + from(PARTITION_INFO) + " WHERE tenant_name = "
                + quote(key.tenant()) + " AND table_id = " + tableId);
        if (pr.rows().isEmpty()) {
            throw new MetadataException(PARTITION_INFO + " has no row for " + key + " (table_id " + tableId + ")");
        }
        int cLevel = pr.require(PARTITION_INFO, "part_level");
        int cNum = pr.require(PARTITION_INFO, "part_num");
        int cType = pr.require(PARTITION_INFO, "part_type");
        int cKey = pr.require(PARTITION_INFO, "part_key_name");
        int cKeyType = pr.require(PARTITION_INFO, "part_key_type");
        int cIdx = pr.column("part_key_idx");
        int cKeyLevel = pr.column("part_key_level");
        List<String[]> rows = new ArrayList<>(pr.rows());
        if (cIdx >= 0) {
            rows.sort(Comparator.comparingLong(r -> r[cIdx] == null ? 0 : parseLongOr(r[cIdx], 0)));
        }
        String[] first = rows.get(0);
        int level = (int) number(PARTITION_INFO, "part_level", first, cLevel);
        int num = (int) number(PARTITION_INFO, "part_num", first, cNum);
        Type type = partType(first[cType]);
        List<String> keys = new ArrayList<>();
        List<KeyType> keyTypes = new ArrayList<>();
        for (String[] r : rows) {
            if (cKeyLevel >= 0 && number(PARTITION_INFO, "part_key_level", r, cKeyLevel) > 1) {
                continue;
            }
            List<String> names = Partitions.splitTopLevel(nonEmpty(PARTITION_INFO, "part_key_name", r[cKey]));
            List<String> types = Partitions.splitTopLevel(nonEmpty(PARTITION_INFO, "part_key_type", r[cKeyType]));
            if (names.size() != types.size()) {
                throw new MetadataException(PARTITION_INFO + ": " + names.size() + " key names but " + types.size()
                        + " key types for " + key);
            }
            for (int i = 0; i < names.size(); i++) {
                keys.add(names.get(i).replace("`", "").toLowerCase(Locale.ROOT));
                keyTypes.add(keyType(types.get(i)));
            }
        }
        if (num <= 0) {
            num = partNum;
        }
        List<PartitionBound> bounds = List.of();
        if (level == 1 && (type == Type.RANGE || type == Type.RANGE_COLUMNS || type == Type.LIST
                || type == Type.LIST_COLUMNS)) {
            bounds = bounds(key, tableId, type, keyTypes);
        }
        return new PartitionInfo(level, num, type, keys, keyTypes, bounds);
    }

    private List<PartitionBound> bounds(TableRoute.Key key, long tableId, Type type, List<KeyType> keyTypes)
            throws IOException, MetadataException {
        ResultRows br = query(PARTITION, "SELECT * FROM " + from(PARTITION) + " WHERE tenant_name = "
                + quote(key.tenant()) + " AND table_id = " + tableId);
        int cId = br.require(PARTITION, "part_id");
        int cName = br.column("part_name");
        boolean range = type == Type.RANGE || type == Type.RANGE_COLUMNS;
        int cVal = br.require(PARTITION, range ? "high_bound_val" : "list_val");
        TreeMap<Long, PartitionBound> out = new TreeMap<>();
        for (String[] r : br.rows()) {
            long id = number(PARTITION, "part_id", r, cId);
            String val = nonEmpty(PARTITION, range ? "high_bound_val" : "list_val", r[cVal]);
            if (range) {
                out.put(id, new PartitionBound(id, text(r, cName), Partitions.parseHighBound(val, keyTypes), List.of(),
                        false));
            } else {
                List<List<Object>> lv = Partitions.parseListValues(val, keyTypes);
                out.put(id, new PartitionBound(id, text(r, cName), List.of(), lv == null ? List.of() : lv, lv == null));
            }
        }
        if (out.isEmpty()) {
            throw new MetadataException(PARTITION + " has no bounds for " + key + " (table_id " + tableId + ")");
        }
        List<PartitionBound> l = new ArrayList<>(out.values());
        if (range) {
            for (int i = 1; i < l.size(); i++) {
                if (Partitions.compareTuples(l.get(i - 1).highBound(), l.get(i).highBound()) >= 0) {
                    throw new MetadataException(PARTITION + ": range bounds of " + key + " are not increasing");
                }
            }
        }
        return l;
    }

    static Type partType(String text) throws MetadataException {
        String s = text == null ? "" : text.trim().toUpperCase(Locale.ROOT).replace(' ', '_');
        switch (s) {
            case "HASH": case "0": case "8":
                return Type.HASH;
            case "KEY": case "1": case "2": case "6": case "9": case "10":
                return Type.KEY;
            case "RANGE": case "3":
                return Type.RANGE;
            case "RANGE_COLUMNS": case "4":
                return Type.RANGE_COLUMNS;
            case "LIST": case "5":
                return Type.LIST;
            case "LIST_COLUMNS": case "7":
                return Type.LIST_COLUMNS;
            default:
                throw new MetadataException(PARTITION_INFO + ": unknown part_type '" + text + "'");
        }
    }

    static KeyType keyType(String text) {
        String s = text.trim().toUpperCase(Locale.ROOT);
        int paren = s.indexOf('(');
        if (paren > 0) {
            s = s.substring(0, paren).trim();
        }
        s = s.replace(" UNSIGNED", "");
        switch (s) {
            case "TINYINT": case "1": case "6":
                return KeyType.TINYINT;
            case "SMALLINT": case "2": case "7":
                return KeyType.SMALLINT;
            case "MEDIUMINT": case "3": case "8":
                return KeyType.MEDIUMINT;
            case "INT": case "INTEGER": case "4": case "9":
                return KeyType.INT;
            case "BIGINT": case "5": case "10":
                return KeyType.BIGINT;
            case "VARCHAR": case "CHAR": case "VARBINARY": case "BINARY": case "22": case "23":
                return KeyType.STRING;
            default:
                return KeyType.OTHER;
        }
    }

    static ReplicaType replicaType(long spare1) {
        if (spare1 == 5) {
            return ReplicaType.LOGONLY;
        }
        if (spare1 == 16) {
            return ReplicaType.READONLY;
        }
        return ReplicaType.FULL;
    }

    // ---- cell parsing ------------------------------------------------------------------------------

    private static String text(String[] row, int col) {
        return col < 0 || row[col] == null ? "" : row[col].trim();
    }

    private static String nonEmpty(String table, String column, String value) throws MetadataException {
        if (value == null || value.isBlank()) {
            throw new MetadataException(table + ": empty " + column);
        }
        return value.trim();
    }

    /** A numeric cell; a missing column or NULL is 0; anything else not a number is malformed. */
    private static long number(String table, String column, String[] row, int col) throws MetadataException {
        if (col < 0 || row[col] == null || row[col].isBlank()) {
            return 0;
        }
        try {
            return Long.parseLong(row[col].trim());
        } catch (NumberFormatException e) {
            throw new MetadataException(table + ": " + column + " is not a number: '" + row[col] + "'");
        }
    }

    private static long parseLongOr(String s, long fallback) {
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private static ServerAddress address(String table, String ip, String port) throws MetadataException {
        try {
            return new ServerAddress(nonEmpty(table, "svr_ip", ip), Integer.parseInt(nonEmpty(table, "port", port)));
        } catch (IllegalArgumentException e) {
            throw new MetadataException(table + ": bad server address " + ip + ":" + port);
        }
    }
}
