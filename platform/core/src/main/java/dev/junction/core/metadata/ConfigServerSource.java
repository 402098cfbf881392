package dev.junction.core.metadata;

import dev.junction.api.topology.ServerAddress;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks a config server (OCP-like) for the cluster's rslist at every topology poll, then reads the metadata
 * tables like the {@code oceanbase} source. The answer, {@code GET metadata.config_server_url} with
 * {@code {cluster}} replaced by the cluster name:
 * <pre>
 * {"Code":200,"Data":{"ObRegion":"demo","RsList":[{"address":"10.0.0.1:2882","sql_port":2881,"role":"LEADER"}]}}
 * </pre>
 * {@code Data} may also be an array of such objects (one per cluster; the one whose {@code ObRegion} is the
 * cluster is used). {@code sql_port} is the port queried; without it the address's port is. The last good
 * answer is kept in {@code <cache_dir>/<cluster>.rslist.json} and used when the config server is down or
 * answers garbage (also right after a restart); without one, {@code metadata.rslist} is the fallback.
 */
final class ConfigServerSource implements MetadataSource {

    private static final Logger LOG = LoggerFactory.getLogger(ConfigServerSource.class);
    private static final String PROBLEM = "config_server";

    private final MetadataConfig config;
    private final Path cacheFile;
    private final ProblemLog problems;
    private final HttpClient http;
    private final OceanBaseSource tables;
    private volatile List<ServerAddress> rslist = List.of();
    private String lastBody;

    ConfigServerSource(MetadataConfig config, Path cacheDir, ProblemLog problems) {
        this.config = config;
        this.cacheFile = cacheDir.resolve(config.cluster() + ".rslist.json");
        this.problems = problems;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(config.connectTimeoutMillis()))
                .followRedirects(HttpClient.Redirect.NEVER).build();
        this.tables = new OceanBaseSource(config, () -> rslist, "config_server");
    }

    @Override
    public String name() {
        return "config_server";
    }

    List<ServerAddress> rslist() {
        return rslist;
    }

    Path cacheFile() {
        return cacheFile;
    }

    @Override
    public Topology fetchTopology(Topology previous) throws IOException, MetadataException {
        refreshRslist();
        return tables.fetchTopology(previous);
    }

    private void refreshRslist() {
        String url = config.configServerUrl().replace("{cluster}",
                URLEncoder.encode(config.cluster(), StandardCharsets.UTF_8));
        try {
            HttpRequest req = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMillis(config.queryTimeoutMillis()))
                    .header("Accept", "application/json").GET().build();
            HttpResponse<String> resp = http.send(req, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            if (resp.statusCode() != 200) {
                throw new MetadataException("HTTP " + resp.statusCode());
            }
            String body = resp.body();
            List<ServerAddress> list = parse(body, config.cluster());
            rslist = list;
            problems.ok(PROBLEM);
            if (!body.equals(lastBody)) {
                save(body);
                lastBody = body;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | MetadataException | RuntimeException e) {
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            problems.problem(PROBLEM, "config server " + url + ": " + why);
            if (rslist.isEmpty()) {
                rslist = fallback();
            }
        }
    }

    private List<ServerAddress> fallback() {
        if (Files.isRegularFile(cacheFile)) {
            try {
                List<ServerAddress> l = parse(Files.readString(cacheFile, StandardCharsets.UTF_8), config.cluster());
                LOG.info("Cluster {}: using the rslist cached in {} ({})", config.cluster(), cacheFile, l);
                return l;
            } catch (IOException | MetadataException e) {
                problems.problem("config_server_cache", "cached rslist " + cacheFile + " is unusable: "
                        + e.getMessage());
            }
        }
        if (!config.rslist().isEmpty()) {
            LOG.info("Cluster {}: no rslist from the config server or its cache; using metadata.rslist {}",
                    config.cluster(), config.rslist());
        }
        return config.rslist();
    }

    private void save(String body) {
        try {
            Files.createDirectories(cacheFile.getParent());
            Path tmp = cacheFile.resolveSibling(cacheFile.getFileName() + ".tmp");
            Files.writeString(tmp, body, StandardCharsets.UTF_8);
            Files.move(tmp, cacheFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            problems.problem("config_server_cache", "cannot write " + cacheFile + ": " + e.getMessage());
        }
    }

    /** The SQL endpoints of the rslist in a config-server answer for {@code cluster}. */
    static List<ServerAddress> parse(String body, String cluster) throws MetadataException {
        Object root = Json.parse(body);
        if (!(root instanceof Map)) {
            throw new MetadataException("answer is not a JSON object");
        }
        Map<?, ?> m = (Map<?, ?>) root;
        Object code = m.get("Code");
        if (code != null && !(code instanceof BigDecimal && ((BigDecimal) code).intValue() == 200)) {
            throw new MetadataException("answer Code " + code + ": " + m.get("Message"));
        }
        Object data = m.get("Data");
        Map<?, ?> region = null;
        if (data instanceof Map) {
            region = (Map<?, ?>) data;
            Object name = region.get("ObRegion");
            if (name != null && !cluster.equalsIgnoreCase(name.toString())) {
                throw new MetadataException("answer is for cluster '" + name + "', not '" + cluster + "'");
            }
        } else if (data instanceof List) {
            for (Object o : (List<?>) data) {
                if (o instanceof Map && cluster.equalsIgnoreCase(String.valueOf(((Map<?, ?>) o).get("ObRegion")))) {
                    region = (Map<?, ?>) o;
                }
            }
            if (region == null) {
                throw new MetadataException("answer lists no cluster '" + cluster + "'");
            }
        } else {
            throw new MetadataException("answer has no Data object");
        }
        Object rs = region.get("RsList");
        if (!(rs instanceof List) || ((List<?>) rs).isEmpty()) {
            throw new MetadataException("answer has no RsList");
        }
        List<ServerAddress> out = new ArrayList<>();
        for (Object o : (List<?>) rs) {
            if (!(o instanceof Map) || !(((Map<?, ?>) o).get("address") instanceof String)) {
                throw new MetadataException("RsList entry without an address: " + o);
            }
            Map<?, ?> e = (Map<?, ?>) o;
            try {
                ServerAddress a = ServerAddress.parse((String) e.get("address"));
                Object sql = e.get("sql_port");
                if (sql != null) {
                    if (!(sql instanceof BigDecimal)) {
                        throw new MetadataException("RsList sql_port is not a number: " + sql);
                    }
                    a = new ServerAddress(a.host(), ((BigDecimal) sql).intValueExact());
                }
                if (!out.contains(a)) {
                    out.add(a);
                }
            } catch (IllegalArgumentException | ArithmeticException ex) {
                throw new MetadataException("RsList entry " + e + ": " + ex.getMessage());
            }
        }
        return List.copyOf(out);
    }

    @Override
    public boolean supportsTables() {
        return true;
    }

    @Override
    public TableRoute fetchTable(TableRoute.Key key, Topology topology, long generation)
            throws IOException, MetadataException {
        return tables.fetchTable(key, topology, generation);
    }

    @Override
    public void close() {
        tables.close();
    }
}
