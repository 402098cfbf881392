package dev.junction.core.metadata;

/** Metadata that cannot be used: a missing or malformed table, an answer that makes no sense. */
final class MetadataException extends Exception {

    private static final long serialVersionUID = 1L;

    MetadataException(String message) {
        super(message);
    }

    MetadataException(String message, Throwable cause) {
        super(message, cause);
    }
}
