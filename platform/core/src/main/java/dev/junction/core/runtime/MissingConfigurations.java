package dev.junction.core.runtime;

import java.io.IOException;
import java.nio.file.Files;
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
 * Once the launcher has started every platform bundle, gives each required component whose
 * {@code etc/<pid>.cfg} file is missing (and that has no configuration from elsewhere) an empty
 * configuration, so it runs on its built-in defaults, and says so in the log.
 *
 * <p>The file is checked, not only ConfigAdmin: File Install reads {@code etc/} on its own thread,
 * and updating a configuration it is creating would make it write that update back over the file.
 */
@Component(immediate = true)
public class MissingConfigurations {

    private static final Logger LOG = LoggerFactory.getLogger(MissingConfigurations.class);

    /** PIDs of components that only run with a configuration. */
    static final List<String> REQUIRED_PIDS = List.of("dev.junction.proxy", "dev.junction.ssh", "dev.junction.accounts");

    @Activate
    public MissingConfigurations(@Reference ConfigurationAdmin configAdmin, @Reference JunctionRuntime runtime,
            @Reference(target = "(junction.startup.complete=true)") Object startupComplete) {
        for (String pid : REQUIRED_PIDS) {
            if (Files.exists(runtime.etc().resolve(pid + ".cfg"))) {
                continue; // File Install owns it
            }
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
