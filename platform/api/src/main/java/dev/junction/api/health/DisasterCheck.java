package dev.junction.api.health;

import dev.junction.api.topology.Replica;
import dev.junction.api.topology.ServerAddress;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Judges server health. Register as an OSGi service; the core asks every registered check about
 * every candidate, and tells every check about each success and failure of real traffic.
 *
 * <p>Called on network event loops: keep each call short and non-blocking.
 */
@ConsumerType
public interface DisasterCheck {

    /** Service property naming the check in admin output. */
    String NAME_PROPERTY = "junction.check.name";

    Verdict check(Replica candidate);

    /** A statement completed on {@code server}. */
    default void onSuccess(ServerAddress server) {
    }

    /** Real traffic to {@code server} failed. */
    default void onFailure(ServerAddress server, FailureKind kind, String detail) {
    }
}
