package dev.junction.core.session;

/** A server stayed silent too long, or did not accept a connection in time. */
public class ServerTimeoutException extends Exception {

    private static final long serialVersionUID = 1L;

    public ServerTimeoutException(String message) {
        super(message, null, false, false);
    }
}
