package dev.junction.ratelimit;

import dev.junction.api.admin.AdminCommand;
import dev.junction.api.admin.AdminCommandException;
import dev.junction.api.admin.AdminTable;
import dev.junction.api.filter.LoginFilter;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin command {@code ratelimit} (shell {@code junction:ratelimit}, SQL {@code show proxyratelimit} /
 * {@code alter proxyratelimit ...}): throttles and circuit breakers with their state and counters;
 * {@code set <throttle|breaker>.<name>.<setting> <value>} and {@code remove <throttle|breaker>.<name>} edit
 * {@code etc/dev.junction.ratelimit.cfg} (comments kept, validated whole, written atomically) and apply it at once.
 */
@Component(service = AdminCommand.class, property = {
        AdminCommand.NAME_PROPERTY + "=ratelimit",
        AdminCommand.SUMMARY_PROPERTY + "=[set <rule>.<setting> <value>|remove <rule>]  throttles and circuit breakers"
})
public class RateLimitCommand implements AdminCommand {

    static final List<String> COLUMNS = List.of("rule", "covers", "limits", "state", "running", "allowed", "delayed",
            "rejected");
    private static final Logger LOG = LoggerFactory.getLogger(RateLimitCommand.class);
    private static final Pattern RULE = Pattern.compile("(throttle|breaker)\\.[A-Za-z0-9_-]+");
    private static final String HEADER = "# Junction throttles and circuit breakers (written by the ratelimit command)";

    private final RateLimitStatementFilter filter;

    @Activate
    public RateLimitCommand(@Reference(target = "(component.name=dev.junction.ratelimit.RateLimitStatementFilter)")
            LoginFilter filter) {
        this.filter = (RateLimitStatementFilter) filter;
    }

    @Override
    public AdminTable execute(List<String> args) throws AdminCommandException {
        if (args.isEmpty() || (args.size() == 1 && args.get(0).equals("list"))) {
            return list(filter);
        }
        String action = args.get(0);
        try {
            if (action.equals("set") && args.size() >= 3) {
                String key = args.get(1);
                String value = String.join(" ", args.subList(2, args.size()));
                CfgEdit.set(filter.file(), key, value, RateLimitConfig::parse, HEADER);
                LOG.info("Rate limit {} = {} set in {}", key, value, filter.displayFile());
                return reload(key + " = " + value + " set in " + filter.displayFile());
            }
            if (action.equals("remove") && args.size() == 2 && RULE.matcher(args.get(1)).matches()) {
                String rule = args.get(1);
                if (CfgEdit.removePrefix(filter.file(), rule + ".", RateLimitConfig::parse, HEADER) == 0) {
                    throw new AdminCommandException("No " + rule + " in " + filter.displayFile());
                }
                LOG.info("Rate limit {} removed from {}", rule, filter.displayFile());
                return reload(rule + " removed from " + filter.displayFile());
            }
        } catch (IOException | WhitelistConfig.Invalid e) {
            throw new AdminCommandException("Not changed: " + e.getMessage());
        }
        throw new AdminCommandException(usage());
    }

    private AdminTable reload(String done) throws AdminCommandException {
        return CfgEdit.reload(filter, done);
    }

    static String usage() {
        return String.join("\n",
                "ratelimit                                 throttles and breakers, their state and counters",
                "ratelimit set <rule>.<setting> <value>    e.g. set throttle.api.qps 200, set throttle.api.user 'app@*'",
                "                                          (<rule> = throttle.<name> or breaker.<name>)",
                "ratelimit remove <rule>                   remove every setting of throttle.<name> or breaker.<name>");
    }

    static AdminTable list(RateLimitStatementFilter f) {
        RateLimitConfig cfg = f.config();
        long now = System.nanoTime();
        List<List<String>> rows = new ArrayList<>();
        for (Throttle t : cfg.throttles) {
            rows.add(List.of("throttle." + t.name, t.match.toString(), t.limits(), "",
                    t.concurrency < 0 ? "" : String.valueOf(t.running.get()), String.valueOf(t.allowed.sum()),
                    String.valueOf(t.delayed.sum()), String.valueOf(t.rejected.sum())));
        }
        for (Breaker b : cfg.breakers) {
            Breaker.State s = b.state();
            String state = s.name().toLowerCase(Locale.ROOT).replace('_', '-');
            if (s == Breaker.State.OPEN) {
                state += " (" + b.reason() + "; trials in " + b.coolDownLeft(now) / 1_000_000 + "ms)";
            }
            state += ", opened " + b.opened.sum() + "x";
            rows.add(List.of("breaker." + b.name, b.match.toString(), b.limits(), state, "",
                    String.valueOf(b.allowed.sum()), "", String.valueOf(b.rejected.sum())));
        }
        if (rows.isEmpty()) {
            return AdminTable.message("No throttle or circuit breaker in " + f.displayFile()
                    + ": every statement passes");
        }
        return AdminTable.of(COLUMNS, rows);
    }
}
