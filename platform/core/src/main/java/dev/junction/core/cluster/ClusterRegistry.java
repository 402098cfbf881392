package dev.junction.core.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.osgi.service.component.annotations.Component;

/** The clusters Junction serves, by name. Updated from configuration; read at each login. */
@Component(service = ClusterRegistry.class)
public final class ClusterRegistry {

    private final Map<String, ClusterConfig> byName = new ConcurrentHashMap<>();

    public void put(ClusterConfig cluster) {
        byName.put(cluster.name().toLowerCase(Locale.ROOT), cluster);
    }

    public void remove(String name) {
        byName.remove(name.toLowerCase(Locale.ROOT));
    }

    public ClusterConfig find(String name) {
        return name == null ? null : byName.get(name.toLowerCase(Locale.ROOT));
    }

    public List<ClusterConfig> all() {
        return new ArrayList<>(byName.values());
    }
}
