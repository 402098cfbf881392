package dev.junction.ratelimit;

import java.nio.file.Path;
import java.util.Map;

/** A component whose rules live in one etc/ file that its admin command edits and then applies. */
interface EditableRules {

    /** The file the rules come from. */
    Path file();

    /** The file as the operator knows it ({@code etc/...}). */
    String displayFile();

    /** Applies {@code properties} if valid as a whole; returns null, or the problem (the old rules stay). */
    String configure(Map<String, ?> properties);
}
