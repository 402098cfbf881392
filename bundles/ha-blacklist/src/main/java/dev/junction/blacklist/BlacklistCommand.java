package dev.junction.blacklist;

import dev.junction.api.admin.AdminCommand;
import dev.junction.api.admin.AdminCommandException;
import dev.junction.api.admin.AdminTable;
import dev.junction.api.health.DisasterCheck;
import dev.junction.api.topology.ServerAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code junction:blacklist} and SQL {@code show proxyblacklist} / {@code alter proxyblacklist}: every server the
 * blacklists know with its lists, reason, since when, probe and traffic failure counts and the verdict new
 * statements get (the same text {@code show proxycongestion} shows); {@code add <server> [reason...]} blacklists a
 * server by hand until {@code remove <server>}, which also takes it out of every other list.
 */
@Component(service = AdminCommand.class, property = {
        AdminCommand.NAME_PROPERTY + "=blacklist",
        AdminCommand.SUMMARY_PROPERTY + "=[add <server> [reason] | remove <server>]  the state, detect and"
                + " alive-but-unavailable blacklists"
})
public class BlacklistCommand implements AdminCommand {

    static final List<String> COLUMNS = List.of("server", "cluster", "zone", "lists", "reason", "since", "detect",
            "probe_failures", "traffic_failures", "verdict");

    private final Blacklists lists;

    @Activate
    public BlacklistCommand(@Reference(target = "(" + DisasterCheck.NAME_PROPERTY + "=blacklist)") DisasterCheck check) {
        this(((BlacklistDisasterCheck) check).lists());
    }

    BlacklistCommand(Blacklists lists) {
        this.lists = lists;
    }

    /** For tests and embedding. */
    public static BlacklistCommand of(BlacklistDisasterCheck check) {
        return new BlacklistCommand(check.lists());
    }

    @Override
    public AdminTable execute(List<String> args) throws AdminCommandException {
        if (args.isEmpty() || (args.size() == 1 && args.get(0).equalsIgnoreCase("list"))) {
            return table();
        }
        String action = args.get(0).toLowerCase(java.util.Locale.ROOT);
        if (args.size() < 2 || !(action.equals("add") || action.equals("remove"))) {
            throw new AdminCommandException(usage());
        }
        ServerAddress server;
        try {
            server = ServerAddress.parse(args.get(1));
        } catch (IllegalArgumentException e) {
            throw new AdminCommandException("Not a server: " + e.getMessage() + "\n" + usage());
        }
        if (action.equals("add")) {
            String reason = args.size() > 2 ? String.join(" ", args.subList(2, args.size())) : "added by hand";
            lists.add(server, reason);
            return AdminTable.message(server + " blacklisted by hand (" + reason + ") until 'remove " + server + "'");
        }
        if (args.size() > 2) {
            throw new AdminCommandException(usage());
        }
        List<String> was = lists.remove(server);
        return AdminTable.message(server + (was.isEmpty() ? " was in no blacklist" : " removed from: " + String.join(", ", was)));
    }

    private AdminTable table() {
        List<List<String>> rows = new ArrayList<>();
        for (ServerHealth.Row r : lists.rows()) {
            rows.add(Arrays.asList(r.server().toString(), r.cluster(), r.zone(), r.lists(), r.reason(), r.since(),
                    r.detect(), Integer.toString(r.probeFailures()), Integer.toString(r.trafficFailures()), r.verdict()));
        }
        return AdminTable.of(COLUMNS, rows);
    }

    static String usage() {
        return "usage: blacklist [add <host:port> [reason...] | remove <host:port>]";
    }
}
