package dev.junction.core.admin;

import java.io.IOException;
import java.util.Map;

/** Reads and writes component configurations by PID (ConfigAdmin in the runtime; File Install saves to etc/). */
public interface ConfigStore {

    /** The stored properties of {@code pid}; empty when it has none. */
    Map<String, Object> read(String pid) throws IOException;

    /** Replaces the stored properties of {@code pid}. */
    void write(String pid, Map<String, Object> properties) throws IOException;
}
