package dev.junction.primaryzone;

import dev.junction.api.routing.RouteDecision;
import dev.junction.api.routing.RouteRequest;
import dev.junction.api.routing.RoutingPolicy;
import org.osgi.service.component.annotations.Component;

/**
 * Primary-zone routing for strong statements whose location is unknown. Until the primary-zone
 * issue lands the policy abstains, leaving the decision to the core's default policy.
 */
@Component(property = {RoutingPolicy.NAME_PROPERTY + "=primary-zone", "service.ranking:Integer=50"})
public class PrimaryZoneRoutingPolicy implements RoutingPolicy {

    @Override
    public RouteDecision route(RouteRequest request) {
        return RouteDecision.abstain();
    }
}
