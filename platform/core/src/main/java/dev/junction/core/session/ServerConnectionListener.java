package dev.junction.core.session;

/** Events of a server connection its owner cares about. */
public interface ServerConnectionListener {

    /** The connection is closed (after any failure was reported to the running command). */
    void closed(ServerConnection server);

    /** The end of a batch of reads from the server: time to flush what was relayed. */
    void readBatchComplete(ServerConnection server);

    /** The server's channel became writable or unwritable (flow control of client input). */
    void writabilityChanged(ServerConnection server, boolean writable);

    ServerConnectionListener NONE = new ServerConnectionListener() {
        @Override
        public void closed(ServerConnection server) {
        }

        @Override
        public void readBatchComplete(ServerConnection server) {
        }

        @Override
        public void writabilityChanged(ServerConnection server, boolean writable) {
        }
    };
}
