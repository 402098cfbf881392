package dev.junction.core.cluster;

import dev.junction.core.config.ConfigException;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One instance per factory configuration {@code dev.junction.cluster} (file
 * {@code etc/dev.junction.cluster-<name>.cfg}): parses it and puts the cluster in the registry. A bad
 * change is refused whole; the cluster as it was keeps serving.
 */
@Component(configurationPid = ClusterConfig.FACTORY_PID, configurationPolicy = ConfigurationPolicy.REQUIRE, service = {})
public class ClusterConfigComponent {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterConfigComponent.class);

    private final ClusterRegistry registry;
    private ClusterConfig current;

    @Activate
    public ClusterConfigComponent(@Reference ClusterRegistry registry, Map<String, Object> properties) {
        this.registry = registry;
        apply(properties);
    }

    @Modified
    void modified(Map<String, Object> properties) {
        apply(properties);
    }

    @Deactivate
    void deactivate() {
        if (current != null) {
            registry.remove(current.name());
        }
    }

    private void apply(Map<String, Object> properties) {
        ClusterConfig next;
        try {
            next = ClusterConfig.parse(properties);
        } catch (ConfigException e) {
            LOG.error("Refusing cluster configuration{}: {}", current == null ? "" : ", the old one keeps serving",
                    e.getMessage());
            return;
        }
        if (current != null && !current.name().equalsIgnoreCase(next.name())) {
            registry.remove(current.name());
        }
        registry.put(next);
        current = next;
        LOG.info("Cluster {} (id {}): {} zones, tenants {}", next.name(), next.id(), next.zones().size(),
                next.tenants().keySet());
    }
}
