package dev.junction.core.routing;

import dev.junction.api.topology.Replica;
import dev.junction.core.metadata.ClusterMetadata;
import dev.junction.core.metadata.MetadataService;
import dev.junction.core.metadata.PartitionReplicas;
import dev.junction.core.metadata.TableRoute;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/** The route cache for {@code show proxyroute} / {@code junction:routes} and the admin refresh. */
public final class MetadataRouteCache implements RouteCacheView {

    private final MetadataService metadata;

    public MetadataRouteCache(MetadataService metadata) {
        this.metadata = metadata;
    }

    @Override
    public List<Entry> entries() {
        List<Entry> out = new ArrayList<>();
        List<ClusterMetadata> all = metadata.all();
        all.sort(Comparator.comparing(ClusterMetadata::cluster));
        for (ClusterMetadata m : all) {
            List<TableRoute> routes = new ArrayList<>(m.routes());
            routes.sort(Comparator.comparing((TableRoute r) -> r.tenant()).thenComparing(TableRoute::database)
                    .thenComparing(TableRoute::table));
            for (TableRoute r : routes) {
                String table = r.database() + "." + r.table();
                long age = (System.nanoTime() - r.updatedAtNanos()) / 1_000_000_000L;
                String state = "generation " + r.generation() + ", age " + age + " s";
                if (!r.exists()) {
                    out.add(new Entry(m.cluster(), r.tenant(), table, "-", "", "unknown table, " + state));
                    continue;
                }
                String kind = r.partitioned() ? r.partitionInfo().type() + " " + r.partitions().size() + "/"
                        + r.partitionInfo().partNum() + " " : "";
                for (PartitionReplicas p : r.partitions()) {
                    out.add(new Entry(m.cluster(), r.tenant(), table, kind + p.partitionId(), replicas(p.replicas()),
                            state));
                }
            }
        }
        return out;
    }

    static String replicas(List<Replica> rs) {
        StringBuilder b = new StringBuilder();
        for (Replica r : rs) {
            if (b.length() > 0) {
                b.append(", ");
            }
            b.append(r.server()).append(' ').append(r.role()).append(' ').append(r.type()).append(' ')
                    .append(r.zone().name()).append(' ').append(r.state());
        }
        return b.toString();
    }

    @Override
    public CompletableFuture<String> refresh(String cluster, String database, String table, String fallbackTenant) {
        List<ClusterMetadata> targets;
        if (cluster == null) {
            targets = metadata.all();
        } else {
            ClusterMetadata m = metadata.find(cluster);
            if (m == null) {
                return CompletableFuture.failedFuture(new IllegalArgumentException("no metadata for cluster " + cluster));
            }
            targets = List.of(m);
        }
        if (targets.isEmpty()) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("no cluster has metadata"));
        }
        List<CompletableFuture<String>> parts = new ArrayList<>();
        for (ClusterMetadata m : targets) {
            if (table == null) {
                int n = m.routes().size();
                parts.add(m.refresh().thenApply(v -> m.cluster() + ": topology and " + n + " cached tables"));
                continue;
            }
            Set<String> tenants = new LinkedHashSet<>();
            for (TableRoute r : m.routes()) {
                if (r.database().equalsIgnoreCase(database) && r.table().equalsIgnoreCase(table)) {
                    tenants.add(r.tenant());
                }
            }
            if (tenants.isEmpty() && fallbackTenant != null && m.topology().tenant(fallbackTenant) != null) {
                tenants.add(fallbackTenant);
            }
            for (String t : tenants) {
                parts.add(m.refresh(t, database, table).thenApply(r -> m.cluster() + "/" + t + " " + database + "."
                        + table + ": " + describe(r)));
            }
        }
        if (parts.isEmpty()) {
            return CompletableFuture.completedFuture("table " + database + "." + table + " is cached nowhere");
        }
        return CompletableFuture.allOf(parts.toArray(new CompletableFuture<?>[0])).thenApply(v -> {
            List<String> lines = new ArrayList<>();
            for (CompletableFuture<String> f : parts) {
                lines.add(f.join());
            }
            return "refreshed " + String.join("; ", lines);
        });
    }

    private static String describe(Optional<TableRoute> r) {
        if (r.isEmpty()) {
            return "fetch failed (see show proxyroute and the log)";
        }
        TableRoute t = r.get();
        if (!t.exists()) {
            return "unknown to the metadata";
        }
        List<String> leaders = new ArrayList<>();
        for (PartitionReplicas p : t.partitions()) {
            leaders.add(p.leader().map(x -> x.server().toString()).orElse("none"));
        }
        return "generation " + t.generation() + ", leaders " + leaders;
    }
}
