package dev.junction.ldc;

import dev.junction.api.routing.RouteDecision;
import dev.junction.api.routing.RouteRequest;
import dev.junction.api.routing.RoutingPolicy;
import org.osgi.service.component.annotations.Component;

/**
 * LDC routing: prefers replicas in the proxy's IDC, then its region, then other regions. The
 * classification arrives with the routing-ldc issue; until then the policy abstains, which leaves
 * every decision to the core's default policy.
 */
@Component(property = {RoutingPolicy.NAME_PROPERTY + "=ldc", "service.ranking:Integer=100"})
public class LdcRoutingPolicy implements RoutingPolicy {

    @Override
    public RouteDecision route(RouteRequest request) {
        return RouteDecision.abstain();
    }
}
