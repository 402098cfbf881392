package dev.junction.core.admin;

import dev.junction.core.bundles.BundleCatalog;
import dev.junction.core.bundles.BundleStates;
import dev.junction.core.runtime.JunctionRuntime;
import org.apache.felix.service.command.Descriptor;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** The {@code junction:} gogo commands. Each returns the text to print. */
@Component(service = JunctionCommands.class, property = {
        "osgi.command.scope=junction",
        "osgi.command.function=status",
        "osgi.command.function=help",
        "osgi.command.function=bundles",
        "osgi.command.function=enable",
        "osgi.command.function=disable"
})
public class JunctionCommands {

    private final BundleContext context;
    private final JunctionRuntime runtime;
    private final BundleCatalog catalog;

    @Activate
    public JunctionCommands(BundleContext context, @Reference JunctionRuntime runtime, @Reference BundleCatalog catalog) {
        this.context = context;
        this.runtime = runtime;
        this.catalog = catalog;
    }

    @Descriptor("version, uptime, listen ports, Junction bundles and the SPI services they provide")
    public String status() {
        return StatusReport.render(context, runtime);
    }

    @Descriptor("list Junction's commands")
    public String help() {
        return String.join("\n",
                "Junction commands (scope junction:)",
                "  junction:status            version, uptime, listen ports, bundles and their SPI services",
                "  junction:bundles           shipped bundles and whether each is enabled",
                "  junction:enable <name>     enable a shipped bundle (copies bundles/<name>.jar to deploy/)",
                "  junction:disable <name>    disable a shipped bundle (removes it from deploy/)",
                "  junction:help              this list",
                "Framework commands: lb, start, stop, update, uninstall, inspect (gogo), 'help' for all.",
                "");
    }

    @Descriptor("shipped bundles and whether each is enabled")
    public String bundles() throws Exception {
        StringBuilder out = new StringBuilder();
        for (BundleCatalog.Entry e : catalog.entries()) {
            out.append(String.format("%-24s %-9s %s%n", e.name(), e.enabled() ? "enabled" : "disabled",
                    e.bundle().map(b -> b.getSymbolicName() + " " + b.getVersion() + " " + BundleStates.name(b.getState()))
                            .orElse("-")));
        }
        return out.length() == 0 ? "no shipped bundles in " + runtime.home().resolve("bundles") : out.toString();
    }

    @Descriptor("enable a shipped bundle; the choice survives restarts")
    public String enable(@Descriptor("bundle name, e.g. routing-ldc") String name) throws Exception {
        return catalog.enable(name);
    }

    @Descriptor("disable a shipped bundle; the choice survives restarts")
    public String disable(@Descriptor("bundle name, e.g. routing-ldc") String name) throws Exception {
        return catalog.disable(name);
    }
}
