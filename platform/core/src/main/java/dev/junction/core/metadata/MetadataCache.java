package dev.junction.core.metadata;

import dev.junction.api.topology.Replica;
import dev.junction.core.cluster.ClusterConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ClusterMetadata} over one {@link MetadataSource}: a single daemon thread per cluster polls the
 * topology every {@code refresh_interval} and fetches tables on demand; readers only do volatile reads and
 * map lookups.
 */
final class MetadataCache implements ClusterMetadata {

    private static final Logger LOG = LoggerFactory.getLogger(MetadataCache.class);

    /** A cache slot: the current entry of one table and its fetch state. */
    private static final class Slot {
        final TableRoute.Key key;
        volatile TableRoute route;
        volatile boolean dirty;
        volatile long lastAttemptNanos;
        final AtomicBoolean scheduled = new AtomicBoolean();

        Slot(TableRoute.Key key) {
            this.key = key;
        }
    }

    private final MetadataConfig config;
    private final MetadataSource source;
    private final ProblemLog problems;
    private final ScheduledExecutorService thread;
    private final Map<TableRoute.Key, Slot> routes = new ConcurrentHashMap<>();
    private volatile Topology topology;
    private volatile long lastSuccessMillis;
    private volatile String lastProblem;
    private volatile boolean closed;
    private final AtomicBoolean cacheFullLogged = new AtomicBoolean();

    MetadataCache(MetadataConfig config, MetadataSource source, Topology bootstrap, ProblemLog problems) {
        this.config = config;
        this.source = source;
        this.problems = problems;
        this.topology = bootstrap != null ? bootstrap : Topology.empty(config.cluster(), source.name());
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "junction-metadata-" + config.cluster());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Builds the metadata of one cluster from its file. {@code cluster} may be null for non-static sources
     * whose file names no zones; {@code dataDir} is where {@code metadata/} caches go.
     */
    static MetadataCache create(MetadataConfig config, ClusterConfig cluster, Map<String, ?> properties, Path dataDir) {
        ProblemLog problems = new ProblemLog(LoggerFactory.getLogger(MetadataCache.class),
                "Cluster " + config.cluster() + " metadata: ", config.errorLogIntervalMillis(), System::currentTimeMillis);
        Topology bootstrap = cluster == null || cluster.zones().isEmpty() ? null
                : StaticSource.build(cluster, properties, "static");
        MetadataSource source;
        switch (config.source()) {
            case OCEANBASE:
                source = new OceanBaseSource(config, config::rslist, "oceanbase");
                break;
            case CONFIG_SERVER:
                Path dir = config.cacheDir().isEmpty() ? dataDir.resolve("metadata") : Path.of(config.cacheDir());
                source = new ConfigServerSource(config, dir, problems);
                break;
            default:
                source = new StaticSource(Objects.requireNonNull(cluster, "static metadata needs the cluster file"),
                        properties);
        }
        return new MetadataCache(config, source, bootstrap, problems);
    }

    @Override
    public MetadataConfig config() {
        return config;
    }

    ProblemLog problems() {
        return problems;
    }

    @Override
    public boolean locatesTables() {
        return config.source() != MetadataConfig.Source.STATIC;
    }

    MetadataSource source() {
        return source;
    }

    void start() {
        if (source instanceof StaticSource) {
            pollTopology();
            return;
        }
        thread.scheduleWithFixedDelay(this::pollTopology, 0, config.refreshIntervalMillis(), TimeUnit.MILLISECONDS);
    }

    void close() {
        closed = true;
        thread.shutdownNow();
        try {
            thread.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        source.close();
    }

    @Override
    public String cluster() {
        return config.cluster();
    }

    @Override
    public Topology topology() {
        return topology;
    }

    @Override
    public MetadataStatus status() {
        return new MetadataStatus(config.cluster(), source.name(), lastSuccessMillis, lastProblem, routes.size());
    }

    @Override
    public Collection<TableRoute> routes() {
        List<TableRoute> out = new ArrayList<>();
        for (Slot s : routes.values()) {
            TableRoute r = s.route;
            if (r != null) {
                out.add(r);
            }
        }
        return out;
    }

    // ---- route cache ------------------------------------------------------------------------------

    @Override
    public Optional<TableRoute> lookup(String tenant, String database, String table) {
        if (closed || !source.supportsTables() || table == null || table.isEmpty()) {
            return Optional.empty();
        }
        TableRoute.Key key = TableRoute.Key.of(tenant, database, table);
        Slot s = routes.get(key);
        if (s == null) {
            if (routes.size() >= config.routeCacheMax()) {
                routes.values().removeIf(x -> x.route != null && !x.route.exists());
                if (routes.size() >= config.routeCacheMax()) {
                    if (cacheFullLogged.compareAndSet(false, true)) {
                        LOG.warn("Cluster {}: route cache full ({} entries, metadata.route_cache_max); new tables"
                                + " are routed as table-less", config.cluster(), routes.size());
                    }
                    return Optional.empty();
                }
            }
            s = routes.computeIfAbsent(key, Slot::new);
        }
        TableRoute r = s.route;
        if (r == null || s.dirty || !r.exists()) {
            schedule(s, false);
        }
        return Optional.ofNullable(r);
    }

    @Override
    public boolean markDirty(TableRoute entry, DirtyReason reason) {
        if (entry == null || !entry.exists() || closed) {
            return false;
        }
        Slot s = routes.get(entry.key());
        TableRoute r = s == null ? null : s.route;
        if (r == null || r.generation() != entry.generation()) {
            return false;
        }
        if (!s.dirty) {
            LOG.debug("Cluster {}: route of {} marked dirty ({})", config.cluster(), entry.key(), reason);
        }
        s.dirty = true;
        schedule(s, false);
        return true;
    }

    /** Schedules a fetch of the slot unless one is pending; not before the refetch delay unless forced. */
    private void schedule(Slot s, boolean now) {
        if (!s.scheduled.compareAndSet(false, true)) {
            return;
        }
        long delay = 0;
        if (!now) {
            TableRoute r = s.route;
            long base = Math.max(r == null ? 0 : r.updatedAtNanos(), s.lastAttemptNanos);
            if (base != 0) {
                delay = Math.max(0, base + TimeUnit.MILLISECONDS.toNanos(config.dirtyRefetchDelayMillis())
                        - System.nanoTime());
            }
        }
        try {
            thread.schedule(() -> fetch(s), delay, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            s.scheduled.set(false);
        }
    }

    private void fetch(Slot s) {
        try {
            fetchNow(s);
        } finally {
            s.scheduled.set(false);
        }
    }

    private TableRoute fetchNow(Slot s) {
        TableRoute old = s.route;
        s.lastAttemptNanos = System.nanoTime();
        try {
            TableRoute fresh = source.fetchTable(s.key, topology, old == null ? 1 : old.generation() + 1);
            s.route = fresh;
            s.dirty = false;
            problems.ok("tables");
            if (old != null && LOG.isDebugEnabled()) {
                LOG.debug("Cluster {}: route of {} refetched (generation {})", config.cluster(), s.key,
                        fresh.generation());
            }
            return fresh;
        } catch (Exception e) {
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            lastProblem = "fetching " + s.key + ": " + why;
            problems.problem("tables", "fetching table locations failed: " + why);
            return old;
        }
    }

    @Override
    public CompletableFuture<Void> refresh() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            thread.execute(() -> {
                try {
                    pollTopology();
                    if (source.supportsTables()) {
                        for (Slot s : routes.values()) {
                            fetchNow(s);
                        }
                    }
                    done.complete(null);
                } catch (RuntimeException e) {
                    done.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            done.completeExceptionally(e);
        }
        return done;
    }

    @Override
    public CompletableFuture<Optional<TableRoute>> refresh(String tenant, String database, String table) {
        CompletableFuture<Optional<TableRoute>> done = new CompletableFuture<>();
        if (!source.supportsTables()) {
            done.complete(Optional.empty());
            return done;
        }
        Slot s = routes.computeIfAbsent(TableRoute.Key.of(tenant, database, table), Slot::new);
        try {
            thread.execute(() -> done.complete(Optional.ofNullable(fetchNow(s))));
        } catch (RejectedExecutionException e) {
            done.completeExceptionally(e);
        }
        return done;
    }

    // ---- topology ---------------------------------------------------------------------------------

    private void pollTopology() {
        if (closed) {
            return;
        }
        Topology old = topology;
        try {
            Topology t = source.fetchTopology(old);
            install(old, t);
            lastSuccessMillis = System.currentTimeMillis();
            lastProblem = null;
            problems.ok("topology");
        } catch (Exception e) {
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            lastProblem = why;
            problems.problem("topology", "topology poll failed: " + why);
        }
    }

    private void install(Topology old, Topology t) {
        topology = t;
        boolean changed = !t.servers().equals(old.servers()) || !t.zones().equals(old.zones());
        if (!changed) {
            return;
        }
        if (old.isEmpty() || lastSuccessMillis == 0) {
            LOG.info("Cluster {} metadata ({}): {} zones, {} servers, tenants {}", config.cluster(), source.name(),
                    t.zones().size(), t.servers().size(), t.tenants().keySet());
        } else {
            for (ServerInfo s : t.servers().values()) {
                ServerInfo was = old.server(s.address());
                if (was == null || was.state() != s.state()) {
                    LOG.info("Cluster {}: server {} {} -> {}", config.cluster(), s.address(),
                            was == null ? "(new)" : was.state(), s.state());
                }
            }
        }
        for (Slot s : routes.values()) {
            TableRoute r = s.route;
            if (r != null && r.exists()) {
                s.route = restate(r, t);
            }
        }
    }

    /** The same entry with zones and states from a new topology (generation and age unchanged). */
    private static TableRoute restate(TableRoute r, Topology t) {
        List<PartitionReplicas> parts = new ArrayList<>(r.partitions().size());
        for (PartitionReplicas p : r.partitions()) {
            List<Replica> reps = new ArrayList<>(p.replicas().size());
            for (Replica x : p.replicas()) {
                reps.add(new Replica(x.server(), t.zoneOf(x.server()), x.role(), x.type(), t.stateOf(x.server())));
            }
            parts.add(new PartitionReplicas(p.partitionId(), reps));
        }
        return new TableRoute(r.cluster(), r.tenant(), r.database(), r.table(), true, r.tableId(), r.partitionInfo(),
                parts, r.updatedAtNanos(), r.generation());
    }
}
