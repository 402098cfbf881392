package dev.junction.api.routing;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Orders the candidate servers for a statement. Register an implementation as an OSGi service;
 * the core consults every registered policy for each statement, highest
 * {@code service.ranking} first, and the first that does not abstain decides.
 *
 * <p>Called on a network event loop: return quickly and never block. A policy that throws or
 * overruns its budget is skipped for that statement and the core's default policy applies.
 */
@ConsumerType
public interface RoutingPolicy {

    /** Service property naming the policy in {@code explain route} output. */
    String NAME_PROPERTY = "junction.policy.name";

    RouteDecision route(RouteRequest request);
}
