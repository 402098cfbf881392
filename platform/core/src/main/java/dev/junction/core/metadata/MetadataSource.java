package dev.junction.core.metadata;

import java.io.IOException;

/**
 * Where a cluster's metadata comes from. Called only on the cluster's metadata thread; may block.
 * A failure throws and changes nothing: the caller keeps what it had.
 */
interface MetadataSource extends AutoCloseable {

    /** {@code static}, {@code oceanbase} or {@code config_server}. */
    String name();

    Topology fetchTopology(Topology previous) throws IOException, MetadataException;

    /** Whether the source knows table locations (static sources do not). */
    boolean supportsTables();

    /**
     * A table's route entry, built with the current topology's zones and states; a table the metadata
     * does not know gives a negative entry ({@code exists == false}).
     */
    TableRoute fetchTable(TableRoute.Key key, Topology topology, long generation)
            throws IOException, MetadataException;

    @Override
    void close();
}
