package dev.junction.core.admin;

import dev.junction.api.admin.AdminCommand;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Function;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * The shell face of bundle-contributed {@link AdminCommand}s: for each one, a gogo command
 * {@code junction:<name>} that runs it through {@link AdminService} (so shell and SQL say the same things).
 */
@Component(immediate = true)
public final class ContributedShellCommands {

    private final AdminService admin;
    private final BundleContext context;
    private final Map<String, ServiceRegistration<Function>> registered = new ConcurrentHashMap<>();
    private volatile boolean active;

    @Activate
    public ContributedShellCommands(@Reference AdminService admin, BundleContext context) {
        this.admin = admin;
        this.context = context;
        active = true;
        for (String name : admin.contributedCommands().keySet()) {
            register(name);
        }
    }

    @Deactivate
    void deactivate() {
        active = false;
        for (String name : new ArrayList<>(registered.keySet())) {
            unregister(name);
        }
    }

    // Bound after AdminService (which sees the same services): the shell command appears once the SQL face has it.
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addCommand(AdminCommand command, Map<String, Object> properties) {
        String name = AdminService.contributedName(properties);
        if (name != null && active) {
            register(name);
        }
    }

    void removeCommand(AdminCommand command, Map<String, Object> properties) {
        String name = AdminService.contributedName(properties);
        if (name != null && !admin.contributedCommands().containsKey(name)) {
            unregister(name);
        }
    }

    private synchronized void register(String name) {
        if (registered.containsKey(name) || context == null) {
            return;
        }
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("osgi.command.scope", "junction");
        props.put("osgi.command.function", name);
        registered.put(name, context.registerService(Function.class, new ShellFunction(admin, name), props));
    }

    private synchronized void unregister(String name) {
        ServiceRegistration<Function> r = registered.remove(name);
        if (r != null) {
            try {
                r.unregister();
            } catch (IllegalStateException e) {
                // already gone with the bundle
            }
        }
    }

    /** One contributed command as a gogo function: arguments become words, the result becomes text. */
    private record ShellFunction(AdminService admin, String name) implements Function {
        @Override
        public Object execute(CommandSession session, List<Object> arguments) {
            List<String> args = new ArrayList<>(arguments.size());
            for (Object a : arguments) {
                args.add(String.valueOf(a));
            }
            return admin.contributed(name, args).text();
        }
    }
}
