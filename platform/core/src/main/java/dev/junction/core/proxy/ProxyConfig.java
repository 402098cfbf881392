package dev.junction.core.proxy;

import dev.junction.core.config.ConfigException;
import dev.junction.core.config.ConfigValues;
import java.util.Map;

/**
 * The listener's settings (PID {@code dev.junction.proxy}, file {@code etc/dev.junction.proxy.cfg}).
 * Parsed and validated whole; a bad file is refused and the running settings stay.
 */
public record ProxyConfig(String listenHost, int listenPort, int workerThreads) {

    public static final String PID = "dev.junction.proxy";

    public static ProxyConfig parse(Map<String, ?> values) throws ConfigException {
        ConfigValues v = new ConfigValues(values, "etc/" + PID + ".cfg");
        return new ProxyConfig(
                v.string("listen_host", "0.0.0.0"),
                v.integer("listen_port", 2883, 1, 65535),
                v.integer("worker_threads", 0, 0, 1024));
    }
}
