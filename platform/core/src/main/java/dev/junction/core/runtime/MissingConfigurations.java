package dev.junction.core.runtime;

import java.io.IOException;
import java.util.Hashtable;
import java.util.List;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Once the launcher has started every platform bundle (so File Install has read {@code etc/}),
 * gives each required component whose {@code etc/<pid>.cfg} is missing an empty configuration, so
 * it runs on its built-in defaults, and says so in the log.
 */
@Component(immediate = true)
public class MissingConfigurations {

    private static final Logger LOG = LoggerFactory.getLogger(MissingConfigurations.class);

    /** PIDs of components that only run with a configuration. */
    static final List<String> REQUIRED_PIDS = List.of("dev.junction.proxy", "dev.junction.ssh");

    @Activate
    public MissingConfigurations(@Reference ConfigurationAdmin configAdmin,
            @Reference(target = "(junction.startup.complete=true)") Object startupComplete) {
        for (String pid : REQUIRED_PIDS) {
            try {
                Configuration[] existing = configAdmin.listConfigurations("(service.pid=" + pid + ")");
                if (existing == null || existing.length == 0) {
                    LOG.warn("etc/{}.cfg is missing: running with built-in defaults; restore the file to change them", pid);
                    configAdmin.getConfiguration(pid, "?").update(new Hashtable<>());
                }
            } catch (IOException | InvalidSyntaxException e) {
                LOG.error("Cannot apply defaults for missing etc/{}.cfg: {}", pid, e.toString());
            }
        }
    }
}
