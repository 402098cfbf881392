package dev.junction.core.session;

import dev.junction.api.topology.ServerAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** The tenant's servers in turn, one counter per tenant shared by all its sessions. */
public final class RoundRobinChooser implements ServerChooser {

    private final Map<String, AtomicInteger> counters = new ConcurrentHashMap<>();

    @Override
    public ServerAddress choose(ClientSession session, List<ServerAddress> candidates) {
        if (candidates.size() == 1) {
            return candidates.get(0);
        }
        String key = session.cluster() + "/" + session.tenant();
        int n = counters.computeIfAbsent(key, k -> new AtomicInteger()).getAndIncrement();
        return candidates.get(Math.floorMod(n, candidates.size()));
    }
}
