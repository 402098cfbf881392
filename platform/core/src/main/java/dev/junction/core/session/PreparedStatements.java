package dev.junction.core.session;

import io.netty.util.collection.LongObjectHashMap;
import io.netty.util.collection.LongObjectMap;
import java.util.ArrayList;
import java.util.List;

/** A session's prepared statements by Junction id (ids start at 1 and are never reused in a session). */
public final class PreparedStatements {

    /** Keyed by the primitive id: an execution's lookup boxes nothing and follows fewer pointers. */
    private final LongObjectMap<PreparedStatement> byId = new LongObjectHashMap<>();
    private long nextId = 1;

    public PreparedStatement create(String sql, int params, boolean dependsOnLast) {
        PreparedStatement ps = new PreparedStatement(nextId++, sql, params, dependsOnLast);
        byId.put(ps.id(), ps);
        return ps;
    }

    public PreparedStatement get(long id) {
        return byId.get(id);
    }

    public PreparedStatement remove(long id) {
        return byId.remove(id);
    }

    public void forget(ServerConnection sc) {
        for (PreparedStatement ps : byId.values()) {
            ps.forget(sc);
        }
    }

    public List<PreparedStatement> all() {
        return new ArrayList<>(byId.values());
    }

    public void clear() {
        byId.clear();
    }

    public int size() {
        return byId.size();
    }
}
