package dev.junction.api.session;

import java.net.InetSocketAddress;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/** A read-only view of a client session, handed to policies and filters. */
@ProviderType
public interface SessionInfo {

    /** Junction's own session id (what SHOW PROCESSLIST shows). */
    long id();

    String user();

    String tenant();

    String cluster();

    InetSocketAddress clientAddress();

    /** The current database, if any. */
    Optional<String> database();

    boolean inTransaction();

    /** A session system variable the client set, e.g. {@code ob_read_consistency}. */
    Optional<String> systemVariable(String name);

    /** A user variable ({@code @name}) the client set. */
    Optional<String> userVariable(String name);
}
