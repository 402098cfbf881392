package dev.junction.api.health;

import java.util.Objects;

/** A disaster check's opinion of one server. */
public final class Verdict {

    /** How the server may be used. */
    public enum Kind {
        /** Use as ranked. */
        ALLOW,
        /** Try only after every allowed server. */
        DEMOTE,
        /** Do not send new statements (still a last resort when nothing else is left). */
        VETO
    }

    private static final Verdict ALLOW = new Verdict(Kind.ALLOW, "");

    private final Kind kind;
    private final String reason;

    private Verdict(Kind kind, String reason) {
        this.kind = kind;
        this.reason = reason;
    }

    public static Verdict allow() {
        return ALLOW;
    }

    public static Verdict demote(String reason) {
        return new Verdict(Kind.DEMOTE, Objects.requireNonNull(reason));
    }

    public static Verdict veto(String reason) {
        return new Verdict(Kind.VETO, Objects.requireNonNull(reason));
    }

    public Kind kind() {
        return kind;
    }

    public String reason() {
        return reason;
    }

    @Override
    public String toString() {
        return kind == Kind.ALLOW ? "allow" : kind.name().toLowerCase() + " (" + reason + ")";
    }
}
