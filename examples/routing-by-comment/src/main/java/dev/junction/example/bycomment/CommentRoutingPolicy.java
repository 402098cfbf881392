package dev.junction.example.bycomment;

import dev.junction.api.routing.RouteDecision;
import dev.junction.api.routing.RouteRequest;
import dev.junction.api.routing.RoutingPolicy;
import dev.junction.api.topology.Replica;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;

/**
 * Routes a statement that carries a {@code /* zone:z2 *}{@code /} comment to the servers of that zone. With the
 * user rules on (the bundle header {@code Junction-Example-Rules: tag,user}), an untagged statement of a user named
 * in {@code etc/dev.junction.example.bycomment.cfg} ({@code user.<name> = <zone>}) goes to that user's zone.
 * Everything else is left to the next policy (abstain).
 *
 * <p>Runs on a network event loop for every statement: it looks at the SQL text only when it contains a comment
 * and allocates nothing when it abstains.
 */
@Component(configurationPid = CommentRoutingPolicy.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL,
        property = {RoutingPolicy.NAME_PROPERTY + "=by-comment", "service.ranking:Integer=500"})
public class CommentRoutingPolicy implements RoutingPolicy {

    static final String PID = "dev.junction.example.bycomment";
    private static final Pattern TAG = Pattern.compile("/\\*\\s*zone\\s*:\\s*([A-Za-z0-9_.-]+)\\s*\\*/");

    private final String version;
    private final boolean userRules;
    private volatile Map<String, String> userZones = Map.of();

    /** For tests: the given rules and version. */
    public CommentRoutingPolicy(String rules, String version, Map<String, ?> properties) {
        this.userRules = rules != null && rules.contains("user");
        this.version = version;
        modified(properties);
    }

    @Activate
    public CommentRoutingPolicy(BundleContext context, Map<String, Object> properties) {
        this(context.getBundle().getHeaders().get("Junction-Example-Rules"),
                context.getBundle().getVersion().toString(), properties);
    }

    @Modified
    void modified(Map<String, ?> properties) {
        Map<String, String> zones = new HashMap<>();
        for (Map.Entry<String, ?> e : properties.entrySet()) {
            if (e.getKey().startsWith("user.")) {
                zones.put(e.getKey().substring("user.".length()), String.valueOf(e.getValue()).trim());
            }
        }
        userZones = Map.copyOf(zones);
    }

    @Override
    public RouteDecision route(RouteRequest request) {
        String zone = null;
        String why = null;
        String sql = request.statement().sql();
        if (sql.contains("/*")) {
            Matcher m = TAG.matcher(sql);
            if (m.find()) {
                zone = m.group(1);
                why = "comment tag zone:" + zone;
            }
        }
        if (zone == null && userRules && !userZones.isEmpty()) {
            zone = userZones.get(request.session().user());
            why = "user " + request.session().user() + " goes to zone " + zone;
        }
        if (zone == null) {
            return RouteDecision.abstain();
        }
        List<Replica> inZone = new ArrayList<>(2);
        for (Replica r : request.candidates()) {
            if (r.zone().name().equalsIgnoreCase(zone)) {
                inZone.add(r);
            }
        }
        if (inZone.isEmpty()) {
            return RouteDecision.abstain(); // no server in that zone: let the others decide
        }
        return RouteDecision.prefer(inZone, why + " (routing-by-comment " + version + ")");
    }
}
