package dev.junction.api.session;

import java.util.OptionalLong;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Acts on client sessions; provided by the core as an OSGi service. Used, for example, by a login filter that
 * makes room at a connection limit instead of refusing the login.
 *
 * @since 1.1
 */
@ProviderType
public interface SessionControl {

    /**
     * Closes the least recently used idle client session (no command running, no transaction open or held) among
     * those of the given account, tenant or cluster. The choice is made at once; the close happens on the
     * session's own thread, which checks again that it is still idle (if it is not, it is left open).
     *
     * @param user the user name, or {@code null} for any user
     * @param tenant the tenant, or {@code null} for any tenant (then {@code cluster} is ignored too)
     * @param cluster the tenant's cluster (with a tenant)
     * @param reason why, for the log
     * @return the id of the session chosen for closing, or empty when no session there is idle
     */
    OptionalLong closeLeastRecentlyUsedIdle(String user, String tenant, String cluster, String reason);
}
