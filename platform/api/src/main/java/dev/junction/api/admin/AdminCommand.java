package dev.junction.api.admin;

import java.util.List;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * An admin command a bundle adds to Junction. Register it as an OSGi service with {@link #NAME_PROPERTY}
 * (a lower-case word, e.g. {@code blacklist}); the core then offers it on both admin faces with the same
 * arguments:
 * <ul>
 * <li>shell: {@code junction:blacklist remove 127.0.0.1:3306}</li>
 * <li>SQL as {@code root@proxysys}: {@code show proxyblacklist} (no arguments or {@code show proxyblacklist
 * words...}) and {@code alter proxyblacklist remove '127.0.0.1:3306'}</li>
 * </ul>
 * Arguments are split at white space; single- or double-quoted words keep their spaces and lose the quotes.
 * Commands run on an admin thread (never on a network event loop) and may block briefly, e.g. to save a file.
 */
@ConsumerType
public interface AdminCommand {

    /** Service property: the command's name, a lower-case word ({@code [a-z][a-z0-9_]*}). */
    String NAME_PROPERTY = "junction.admin.command";

    /** Service property: one line for {@code junction:help}, e.g. {@code "[add|remove <server>]  blacklists"}. */
    String SUMMARY_PROPERTY = "junction.admin.summary";

    /**
     * Runs the command.
     *
     * @param args the words after the command name (possibly none)
     * @return a table, or a message for commands that change something
     * @throws AdminCommandException with a message for the operator (bad arguments, refused change)
     */
    AdminTable execute(List<String> args) throws AdminCommandException;
}
