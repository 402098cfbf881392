package dev.junction.api.routing;

import dev.junction.api.topology.Replica;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A policy's answer: an ordered preference among the candidates, or an abstention that leaves the
 * decision to the next policy.
 */
public final class RouteDecision {

    private static final RouteDecision ABSTAIN = new RouteDecision(null, () -> "abstained", false);

    private final List<Replica> preference;
    private final Supplier<String> reason;
    private final boolean exclusive;

    private RouteDecision(List<Replica> preference, Supplier<String> reason, boolean exclusive) {
        this.preference = preference;
        this.reason = reason;
        this.exclusive = exclusive;
    }

    /** The policy has no opinion on this statement. */
    public static RouteDecision abstain() {
        return ABSTAIN;
    }

    /**
     * The candidates in the order the policy wants them tried. Candidates left out are tried after
     * the listed ones; replicas that were not candidates are ignored.
     *
     * @param reason a short explanation shown by {@code explain route}
     */
    public static RouteDecision prefer(List<Replica> ordered, String reason) {
        Objects.requireNonNull(reason, "reason");
        return new RouteDecision(List.copyOf(ordered), () -> reason, false);
    }

    /**
     * As {@link #prefer(List, String)}, with the explanation built only when someone reads it ({@code explain
     * route}): a policy that explains a lot need not build text for every statement.
     *
     * @since 1.1
     */
    public static RouteDecision prefer(List<Replica> ordered, Supplier<String> reason) {
        return new RouteDecision(List.copyOf(ordered), Objects.requireNonNull(reason, "reason"), false);
    }

    /**
     * Only these candidates, in this order, may run the statement: the others are never tried (e.g. weak reads
     * that must not reach a leader). When none of them is a candidate the client gets an error saying which
     * policy allowed no server. Disaster checks still order the listed ones.
     *
     * @since 1.1
     */
    public static RouteDecision only(List<Replica> ordered, Supplier<String> reason) {
        return new RouteDecision(List.copyOf(ordered), Objects.requireNonNull(reason, "reason"), true);
    }

    /** Whether the candidates left out must not be tried at all ({@link #only}). */
    public boolean exclusive() {
        return exclusive;
    }

    public boolean abstained() {
        return preference == null;
    }

    /** The preferred order; empty when abstained. */
    public List<Replica> preference() {
        return preference == null ? List.of() : preference;
    }

    public String reason() {
        return reason.get();
    }

    @Override
    public String toString() {
        return abstained() ? "abstain" : (exclusive ? "only " : "prefer ") + preference + " (" + reason() + ")";
    }
}
