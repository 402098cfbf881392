package dev.junction.core.runtime;

import java.util.Hashtable;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/**
 * Publishes a listening endpoint so {@code junction:status} can show it: a service with the
 * {@value #PROPERTY} property. Any bundle may do the same.
 */
public final class Endpoints {

    public static final String PROPERTY = "junction.endpoint";

    private Endpoints() {
    }

    /** Registers {@code "<kind> <host>:<port>"}; unregister the result when the listener closes. */
    public static ServiceRegistration<Object> publish(BundleContext context, String kind, String hostPort) {
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(PROPERTY, kind + " " + hostPort);
        return context.registerService(Object.class, new Object(), props);
    }
}
