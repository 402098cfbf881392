package dev.junction.core.session;

import dev.junction.api.topology.ServerAddress;
import java.util.List;

/**
 * Picks the server for a statement that is not bound to one (outside a transaction, not depending on the
 * previous statement) and that the routing pipeline does not plan (prepared statements, COM_FIELD_LIST, a
 * session statement with no server yet). {@code RoutingPipeline} implements it: the tenant's servers in turn,
 * skipping servers a disaster check vetoes.
 */
public interface ServerChooser {

    /** One of {@code candidates} (never empty). Called on the session's event loop; must not block. */
    ServerAddress choose(ClientSession session, List<ServerAddress> candidates);
}
