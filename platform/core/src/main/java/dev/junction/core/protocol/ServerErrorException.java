package dev.junction.core.protocol;

/** A server answered with an ERR packet where Junction needed something else. */
public class ServerErrorException extends RuntimeException {

    private static final long serialVersionUID = 1L;
    private final MysqlError error;

    public ServerErrorException(MysqlError error) {
        super(error.toString(), null, false, false);
        this.error = error;
    }

    public MysqlError error() {
        return error;
    }
}
