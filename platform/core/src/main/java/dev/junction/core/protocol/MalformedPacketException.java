package dev.junction.core.protocol;

/** A packet that does not follow the protocol. */
public class MalformedPacketException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public MalformedPacketException(String message) {
        super(message, null, false, false);
    }
}
