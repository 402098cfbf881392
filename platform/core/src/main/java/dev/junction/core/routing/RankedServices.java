package dev.junction.core.routing;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The registered services of one SPI type as an immutable array, highest {@code service.ranking} first (then
 * lowest service id, as OSGi orders them). Changes build a new array and swap it in; readers on the event loops
 * take the array once per statement and never lock. With nothing registered the array is empty and a
 * statement pays one length check.
 */
public final class RankedServices<T> {

    /** One registered service: the object, the name admin output shows, its ranking and service id. */
    public record Entry<T>(T service, String name, int ranking, long serviceId) {
    }

    private static final Comparator<Entry<?>> ORDER = Comparator.<Entry<?>>comparingInt(e -> -e.ranking())
            .thenComparingLong(Entry::serviceId);

    private final Entry<T>[] empty;
    private volatile Entry<T>[] entries;
    private long nextLocalId = Long.MAX_VALUE / 2;

    @SuppressWarnings("unchecked")
    public RankedServices() {
        empty = (Entry<T>[]) Array.newInstance(Entry.class, 0);
        entries = empty;
    }

    /** The current snapshot; never modify it. */
    public Entry<T>[] snapshot() {
        return entries;
    }

    public boolean isEmpty() {
        return entries.length == 0;
    }

    /** Adds (or, for a service already present, re-ranks) a service. {@code serviceId} < 0: one is made up. */
    public synchronized void add(T service, String name, int ranking, long serviceId) {
        List<Entry<T>> next = new ArrayList<>();
        for (Entry<T> e : entries) {
            if (e.service() != service) {
                next.add(e);
            }
        }
        next.add(new Entry<>(service, name, ranking, serviceId >= 0 ? serviceId : nextLocalId++));
        next.sort(ORDER);
        entries = next.toArray(empty);
    }

    /** Removes a service; returns whether it was there. */
    public synchronized boolean remove(T service) {
        List<Entry<T>> next = new ArrayList<>();
        for (Entry<T> e : entries) {
            if (e.service() != service) {
                next.add(e);
            }
        }
        if (next.size() == entries.length) {
            return false;
        }
        entries = next.isEmpty() ? empty : next.toArray(empty);
        return true;
    }
}
