package dev.junction.ratelimit;

import dev.junction.api.filter.LoginFilter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gogo command {@code junction:whitelist}: list the rules with their counters and the open connections against
 * their limits; {@code add <who> <addresses>} and {@code remove <n>} edit {@code etc/dev.junction.whitelist.cfg}
 * (comments kept, written atomically) and apply the result at once.
 */
@Component(service = WhitelistCommand.class, property = {
        "osgi.command.scope=junction",
        "osgi.command.function=whitelist"
})
public class WhitelistCommand {

    private static final Logger LOG = LoggerFactory.getLogger(WhitelistCommand.class);

    private final WhitelistLoginFilter filter;

    @Activate
    public WhitelistCommand(@Reference(target = "(component.name=dev.junction.ratelimit.WhitelistLoginFilter)")
            LoginFilter filter) {
        this.filter = (WhitelistLoginFilter) filter;
    }

    public String whitelist() {
        return list(filter);
    }

    public String whitelist(String action) {
        if (action.equals("list")) {
            return list(filter);
        }
        return usage();
    }

    public String whitelist(String action, String arg) {
        if (action.equals("remove")) {
            int n;
            try {
                n = Integer.parseInt(arg.startsWith("rule.") ? arg.substring(5) : arg);
            } catch (NumberFormatException e) {
                return "Not a rule number: " + arg + "\n" + usage();
            }
            try {
                if (!WhitelistFile.remove(filter.file(), n)) {
                    return "No rule." + n + " in " + filter.displayFile() + "\n";
                }
                LOG.info("Whitelist rule.{} removed from {}", n, filter.displayFile());
                return reload("rule." + n + " removed from " + filter.displayFile());
            } catch (IOException | WhitelistConfig.Invalid e) {
                return "Not changed: " + e.getMessage() + "\n";
            }
        }
        return usage();
    }

    public String whitelist(String action, String who, String addresses) {
        if (!action.equals("add")) {
            return usage();
        }
        try {
            int n = WhitelistFile.add(filter.file(), who, addresses);
            LOG.info("Whitelist rule.{} = {} {} added to {}", n, who, addresses, filter.displayFile());
            return reload("rule." + n + " added to " + filter.displayFile());
        } catch (IOException | WhitelistConfig.Invalid e) {
            return "Not changed: " + e.getMessage() + "\n";
        }
    }

    private String reload(String done) throws IOException {
        Map<String, Object> props = WhitelistFile.properties(Files.readString(filter.file(), StandardCharsets.UTF_8));
        String problem = filter.configure(props);
        return done + (problem == null ? ", in force now" : ", but not applied: " + problem) + "\n";
    }

    static String usage() {
        return String.join("\n",
                "junction:whitelist                          rules (allowed/refused logins each) and open connections",
                "junction:whitelist add <who> <addresses>    add a rule, e.g. add 'app@app#demo' 127.0.0.1/32,::1",
                "                                            (<who> = user[@tenant[#cluster]], '*' wildcards; quote it)",
                "junction:whitelist remove <n>               remove rule.<n>",
                "");
    }

    static String list(WhitelistLoginFilter f) {
        WhitelistConfig cfg = f.config();
        StringBuilder sb = new StringBuilder();
        sb.append("Whitelist (").append(f.displayFile()).append("): ").append(cfg.rules.size()).append(" rule")
                .append(cfg.rules.size() == 1 ? "" : "s")
                .append("; a login that no rule names is allowed\n");
        if (!cfg.rules.isEmpty()) {
            sb.append(String.format("  %-6s %-28s %-36s %9s %9s%n", "rule", "who", "addresses", "allowed", "refused"));
            for (Rule r : cfg.rules) {
                sb.append(String.format("  %-6s %-28s %-36s %9d %9d%n", r.number, r.who, r.addressList(),
                        r.allowed.get(), r.rejected.get()));
            }
        }
        ConnectionLimits l = f.limits();
        sb.append("Connections: ").append(l.global()).append(" open, max_connections ").append(cfg.maxConnections)
                .append("; refused: ").append(f.refusedByWhitelist()).append(" by the whitelist, ")
                .append(f.refusedByLimits()).append(" by limits\n");
        for (Map.Entry<String, Integer> e : l.tenants().entrySet()) {
            String[] tc = e.getKey().split("#", 2);
            int lim = cfg.tenantLimit(tc[0], tc.length > 1 ? tc[1] : "");
            sb.append("  tenant ").append(e.getKey()).append(": ").append(e.getValue())
                    .append(lim < 0 ? "" : " of " + lim).append('\n');
        }
        for (Map.Entry<String, Integer> e : l.users().entrySet()) {
            String k = e.getKey();
            int at = k.lastIndexOf('@');
            int hash = k.lastIndexOf('#');
            int lim = at > 0 && hash > at ? cfg.userLimit(k.substring(0, at), k.substring(at + 1, hash),
                    k.substring(hash + 1)) : -1;
            sb.append("  user ").append(k).append(": ").append(e.getValue()).append(lim < 0 ? "" : " of " + lim)
                    .append('\n');
        }
        for (Map.Entry<String, Integer> e : cfg.tenantLimits.entrySet()) {
            if (!l.tenants().containsKey(e.getKey()) && e.getKey().indexOf('#') >= 0) {
                sb.append("  tenant ").append(e.getKey()).append(": 0 of ").append(e.getValue()).append('\n');
            }
        }
        return sb.toString();
    }
}
