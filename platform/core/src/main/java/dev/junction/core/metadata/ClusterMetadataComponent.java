package dev.junction.core.metadata;

import dev.junction.core.cluster.ClusterConfig;
import dev.junction.core.config.ConfigException;
import dev.junction.core.runtime.JunctionRuntime;
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
 * One instance per cluster file ({@code etc/dev.junction.cluster-<name>.cfg}, the same factory configuration
 * the cluster registry reads): starts that cluster's metadata source and puts it in {@link MetadataService}.
 * A changed file restarts the source (the route cache starts empty); a bad one is refused and the running
 * metadata keeps serving.
 */
@Component(configurationPid = ClusterConfig.FACTORY_PID, configurationPolicy = ConfigurationPolicy.REQUIRE, service = {})
public class ClusterMetadataComponent {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterMetadataComponent.class);

    private final MetadataService service;
    private final JunctionRuntime runtime;
    private MetadataCache current;

    @Activate
    public ClusterMetadataComponent(@Reference MetadataService service, @Reference JunctionRuntime runtime,
            Map<String, Object> properties) {
        this.service = service;
        this.runtime = runtime;
        apply(properties);
    }

    @Modified
    void modified(Map<String, Object> properties) {
        apply(properties);
    }

    @Deactivate
    void deactivate() {
        if (current != null) {
            service.remove(current);
            current = null;
        }
    }

    private void apply(Map<String, Object> properties) {
        MetadataCache next;
        try {
            MetadataConfig config = MetadataConfig.parse(properties);
            ClusterConfig cluster = ClusterConfig.parse(properties);
            next = MetadataCache.create(config, cluster, properties, runtime.data());
        } catch (ConfigException e) {
            LOG.error("Refusing cluster metadata configuration{}: {}",
                    current == null ? "" : ", the old one keeps serving", e.getMessage());
            return;
        }
        if (current != null && !current.cluster().equalsIgnoreCase(next.cluster())) {
            service.remove(current);
        }
        next.start();
        service.put(next);
        current = next;
    }
}
