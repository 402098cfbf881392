package dev.junction.core.session;

import dev.junction.api.topology.ServerAddress;
import java.util.List;

/**
 * Picks the server for a statement that is not bound to one (outside a transaction, not depending on the
 * previous statement). The routing pipeline will implement this; for now it is round robin.
 */
public interface ServerChooser {

    /** One of {@code candidates} (never empty). Called on the session's event loop; must not block. */
    ServerAddress choose(ClientSession session, List<ServerAddress> candidates);
}
