package dev.junction.api.admin;

/**
 * An admin command refused: the message tells the operator why (SQL clients get it in an error packet, the
 * shell prints it).
 */
public class AdminCommandException extends Exception {

    private static final long serialVersionUID = 1L;

    public AdminCommandException(String message) {
        super(message);
    }
}
