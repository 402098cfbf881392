package dev.junction.ssh;

import org.apache.felix.service.command.Converter;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/**
 * Lets shell commands that take a bundle accept its id or symbolic name ({@code felix:update 42 file:...},
 * {@code felix:uninstall dev.junction.routing-ldc}). Felix's console ships this conversion in gogo.jline, which
 * the daemon does not run.
 */
@Component(service = Converter.class)
public class BundleConverter implements Converter {

    private final BundleContext context;

    @Activate
    public BundleConverter(BundleContext context) {
        this.context = context;
    }

    @Override
    public Object convert(Class<?> desiredType, Object in) {
        if (desiredType == Bundle.class) {
            return bundle(in);
        }
        if (desiredType == Bundle[].class) {
            Bundle b = bundle(in);
            return b == null ? null : new Bundle[] {b};
        }
        return null;
    }

    private Bundle bundle(Object in) {
        String text = String.valueOf(in).trim();
        if (text.matches("\\d{1,18}")) {
            return context.getBundle(Long.parseLong(text));
        }
        for (Bundle b : context.getBundles()) {
            if (text.equals(b.getSymbolicName())) {
                return b;
            }
        }
        return null;
    }

    @Override
    public CharSequence format(Object target, int level, Converter escape) {
        return null; // the runtime's own formatting
    }
}
