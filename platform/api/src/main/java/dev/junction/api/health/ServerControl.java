package dev.junction.api.health;

import dev.junction.api.topology.Replica;
import dev.junction.api.topology.ServerAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.osgi.annotation.versioning.ProviderType;

/**
 * What the core lets health and routing bundles do with servers beyond ranking them: know every server,
 * run a statement on one with Junction's internal account, and drop the client sessions' connections to it.
 * The core registers one instance as an OSGi service.
 *
 * @since 1.1
 */
@ProviderType
public interface ServerControl {

    /** A server of a cluster, with its zone and last known state ({@code role} is {@code NONE}). */
    record KnownServer(String cluster, Replica replica) {
    }

    /** Every server of every cluster Junction serves (configured or from live metadata). */
    List<KnownServer> servers();

    /**
     * Runs {@code sql} on {@code server} over a fresh connection logged in with the cluster's internal account
     * (the metadata account of its cluster configuration), off the network event loops.
     *
     * @return the rows (column label to text value, {@code null} for NULL; empty for statements without a
     *         result set), or a failed stage when connecting, logging in or the statement failed or when
     *         {@code timeout} passed first: with a {@link java.sql.SQLException} (error code and SQL state set)
     *         when the server answered with an error (it is up), another exception when it did not answer
     */
    CompletionStage<List<Map<String, String>>> query(String cluster, ServerAddress server, String sql,
            Duration timeout);

    /**
     * Closes every client session's connection to {@code server}. A session that is not in a transaction there
     * carries on on another server at its next statement; a session whose transaction ran there gets an error
     * for its next statement (its transaction is lost). Returns at once: each session closes its connections
     * on its own event loop soon after.
     */
    void closeConnections(ServerAddress server, String reason);
}
