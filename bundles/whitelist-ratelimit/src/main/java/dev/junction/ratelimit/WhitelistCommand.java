package dev.junction.ratelimit;

import dev.junction.api.admin.AdminCommand;
import dev.junction.api.admin.AdminCommandException;
import dev.junction.api.admin.AdminTable;
import dev.junction.api.filter.LoginFilter;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin command {@code whitelist} (shell {@code junction:whitelist}, SQL {@code show proxywhitelist} /
 * {@code alter proxywhitelist ...}): lists the rules with their counters and the open connections against their
 * limits; {@code add <who> <addresses>} and {@code remove <n>} edit {@code etc/dev.junction.whitelist.cfg}
 * (comments kept, written atomically) and apply the result at once.
 */
@Component(service = AdminCommand.class, property = {
        AdminCommand.NAME_PROPERTY + "=whitelist",
        AdminCommand.SUMMARY_PROPERTY + "=[add <who> <addresses>|remove <n>]  client whitelist and connection limits"
})
public class WhitelistCommand implements AdminCommand {

    static final List<String> COLUMNS = List.of("item", "applies_to", "setting", "open", "allowed", "refused");
    private static final Logger LOG = LoggerFactory.getLogger(WhitelistCommand.class);

    private final WhitelistLoginFilter filter;

    @Activate
    public WhitelistCommand(@Reference(target = "(component.name=dev.junction.ratelimit.WhitelistLoginFilter)")
            LoginFilter filter) {
        this.filter = (WhitelistLoginFilter) filter;
    }

    @Override
    public AdminTable execute(List<String> args) throws AdminCommandException {
        if (args.isEmpty() || (args.size() == 1 && args.get(0).equals("list"))) {
            return list(filter);
        }
        String action = args.get(0);
        if (action.equals("remove") && args.size() == 2) {
            String arg = args.get(1);
            int n;
            try {
                n = Integer.parseInt(arg.startsWith("rule.") ? arg.substring(5) : arg);
            } catch (NumberFormatException e) {
                throw new AdminCommandException("Not a rule number: " + arg + "\n" + usage());
            }
            try {
                if (!WhitelistFile.remove(filter.file(), n)) {
                    throw new AdminCommandException("No rule." + n + " in " + filter.displayFile());
                }
            } catch (IOException | WhitelistConfig.Invalid e) {
                throw new AdminCommandException("Not changed: " + e.getMessage());
            }
            LOG.info("Whitelist rule.{} removed from {}", n, filter.displayFile());
            return reload("rule." + n + " removed from " + filter.displayFile());
        }
        if (action.equals("add") && args.size() >= 3) {
            String who = args.get(1);
            String addresses = String.join(",", args.subList(2, args.size()));
            int n;
            try {
                n = WhitelistFile.add(filter.file(), who, addresses);
            } catch (IOException | WhitelistConfig.Invalid e) {
                throw new AdminCommandException("Not changed: " + e.getMessage());
            }
            LOG.info("Whitelist rule.{} = {} {} added to {}", n, who, addresses, filter.displayFile());
            return reload("rule." + n + " added to " + filter.displayFile());
        }
        throw new AdminCommandException(usage());
    }

    private AdminTable reload(String done) throws AdminCommandException {
        return CfgEdit.reload(filter, done);
    }

    static String usage() {
        return String.join("\n",
                "whitelist                          rules (allowed/refused logins each) and open connections",
                "whitelist add <who> <addresses>    add a rule, e.g. add 'app@app#demo' 127.0.0.1/32,::1",
                "                                   (<who> = user[@tenant[#cluster]], '*' wildcards; quote it)",
                "whitelist remove <n>               remove rule.<n>");
    }

    /** Rules with their counters, then the connection limits with the open connections they count. */
    static AdminTable list(WhitelistLoginFilter f) {
        WhitelistConfig cfg = f.config();
        List<List<String>> rows = new ArrayList<>();
        for (Rule r : cfg.rules) {
            rows.add(List.of("rule." + r.number, r.who.toString(), r.addressList(), "",
                    String.valueOf(r.allowed.get()), String.valueOf(r.rejected.get())));
        }
        ConnectionLimits l = f.limits();
        rows.add(List.of("max_connections", "*", String.valueOf(cfg.maxConnections), String.valueOf(l.global()), "",
                String.valueOf(f.refusedByLimits())));
        Map<String, Integer> tenants = l.tenants();
        for (Map.Entry<String, Integer> e : tenants.entrySet()) {
            String[] tc = e.getKey().split("#", 2);
            int lim = cfg.tenantLimit(tc[0], tc.length > 1 ? tc[1] : "");
            rows.add(List.of("tenant", e.getKey(), lim < 0 ? "" : String.valueOf(lim), String.valueOf(e.getValue()),
                    "", ""));
        }
        for (Map.Entry<String, Integer> e : cfg.tenantLimits.entrySet()) {
            if (!tenants.containsKey(e.getKey()) && e.getKey().indexOf('#') >= 0) {
                rows.add(List.of("tenant", e.getKey(), String.valueOf(e.getValue()), "0", "", ""));
            }
        }
        for (Map.Entry<String, Integer> e : l.users().entrySet()) {
            String k = e.getKey();
            int at = k.lastIndexOf('@');
            int hash = k.lastIndexOf('#');
            int lim = at > 0 && hash > at ? cfg.userLimit(k.substring(0, at), k.substring(at + 1, hash),
                    k.substring(hash + 1)) : -1;
            rows.add(List.of("user", k, lim < 0 ? "" : String.valueOf(lim), String.valueOf(e.getValue()), "", ""));
        }
        rows.add(List.of("whitelist", "*", "", "", "", String.valueOf(f.refusedByWhitelist())));
        if (cfg.closeIdleAtLimit || f.closedIdle() > 0) {
            rows.add(List.of("at_limit", "*", cfg.closeIdleAtLimit ? "close_idle" : "refuse", "", "",
                    f.closedIdle() + " idle closed"));
        }
        return AdminTable.of(COLUMNS, rows);
    }
}
