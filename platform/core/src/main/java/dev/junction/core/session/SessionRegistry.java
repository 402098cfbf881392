package dev.junction.core.session;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** Every live client session, by Junction's session id (what SHOW PROCESSLIST and KILL use). */
public final class SessionRegistry {

    private final AtomicLong nextId = new AtomicLong(1);
    private final Map<Long, ClientSession> sessions = new ConcurrentHashMap<>();

    public long newId() {
        return nextId.getAndIncrement();
    }

    public void add(ClientSession s) {
        sessions.put(s.id(), s);
    }

    public void remove(ClientSession s) {
        sessions.remove(s.id(), s);
    }

    public ClientSession get(long id) {
        return sessions.get(id);
    }

    public List<ClientSession> all() {
        List<ClientSession> l = new ArrayList<>(sessions.values());
        l.sort((a, b) -> Long.compare(a.id(), b.id()));
        return l;
    }

    public int size() {
        return sessions.size();
    }
}
