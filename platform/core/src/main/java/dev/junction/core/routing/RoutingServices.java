package dev.junction.core.routing;

import dev.junction.api.filter.LoginFilter;
import dev.junction.api.filter.ResultFilter;
import dev.junction.api.filter.StatementFilter;
import dev.junction.api.health.DisasterCheck;
import dev.junction.api.routing.RoutingPolicy;
import java.util.Map;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * Every SPI service policy bundles registered, one {@link RankedServices} snapshot per type. Declarative Services
 * binds and unbinds them dynamically (a service appearing, changing its ranking or disappearing affects the
 * next statement; no session is disturbed). Tests and embedders call the {@code add}/{@code remove} methods
 * directly.
 */
@Component(service = RoutingServices.class, immediate = true)
public class RoutingServices {

    /** Service property naming a filter in admin output (policies and checks have their own in the API). */
    public static final String FILTER_NAME_PROPERTY = "junction.filter.name";

    private final RankedServices<RoutingPolicy> policies = new RankedServices<>();
    private final RankedServices<DisasterCheck> checks = new RankedServices<>();
    private final RankedServices<LoginFilter> loginFilters = new RankedServices<>();
    private final RankedServices<StatementFilter> statementFilters = new RankedServices<>();
    private final RankedServices<ResultFilter> resultFilters = new RankedServices<>();

    public RankedServices<RoutingPolicy> policies() {
        return policies;
    }

    public RankedServices<DisasterCheck> checks() {
        return checks;
    }

    public RankedServices<LoginFilter> loginFilters() {
        return loginFilters;
    }

    public RankedServices<StatementFilter> statementFilters() {
        return statementFilters;
    }

    public RankedServices<ResultFilter> resultFilters() {
        return resultFilters;
    }

    /** Whether any service at all is registered (when not, statements take the core's fast path). */
    public boolean isEmpty() {
        return policies.isEmpty() && checks.isEmpty() && statementFilters.isEmpty() && resultFilters.isEmpty();
    }

    // ---- Declarative Services binding

    @Reference(service = RoutingPolicy.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY,
            unbind = "unbindPolicy", updated = "bindPolicy")
    void bindPolicy(RoutingPolicy p, Map<String, Object> props) {
        policies.add(p, name(props, RoutingPolicy.NAME_PROPERTY, p), ranking(props), serviceId(props));
    }

    void unbindPolicy(RoutingPolicy p) {
        policies.remove(p);
    }

    @Reference(service = DisasterCheck.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY,
            unbind = "unbindCheck", updated = "bindCheck")
    void bindCheck(DisasterCheck c, Map<String, Object> props) {
        checks.add(c, name(props, DisasterCheck.NAME_PROPERTY, c), ranking(props), serviceId(props));
    }

    void unbindCheck(DisasterCheck c) {
        checks.remove(c);
    }

    @Reference(service = LoginFilter.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY,
            unbind = "unbindLoginFilter", updated = "bindLoginFilter")
    void bindLoginFilter(LoginFilter f, Map<String, Object> props) {
        loginFilters.add(f, name(props, FILTER_NAME_PROPERTY, f), ranking(props), serviceId(props));
    }

    void unbindLoginFilter(LoginFilter f) {
        loginFilters.remove(f);
    }

    @Reference(service = StatementFilter.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY,
            unbind = "unbindStatementFilter", updated = "bindStatementFilter")
    void bindStatementFilter(StatementFilter f, Map<String, Object> props) {
        statementFilters.add(f, name(props, FILTER_NAME_PROPERTY, f), ranking(props), serviceId(props));
    }

    void unbindStatementFilter(StatementFilter f) {
        statementFilters.remove(f);
    }

    @Reference(service = ResultFilter.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY,
            unbind = "unbindResultFilter", updated = "bindResultFilter")
    void bindResultFilter(ResultFilter f, Map<String, Object> props) {
        resultFilters.add(f, name(props, FILTER_NAME_PROPERTY, f), ranking(props), serviceId(props));
    }

    void unbindResultFilter(ResultFilter f) {
        resultFilters.remove(f);
    }

    private static String name(Map<String, Object> props, String key, Object service) {
        Object n = props.get(key);
        if (n == null) {
            n = props.get("component.name");
        }
        return n == null ? service.getClass().getName() : n.toString();
    }

    private static int ranking(Map<String, Object> props) {
        Object r = props.get(Constants.SERVICE_RANKING);
        return r instanceof Integer ? (Integer) r : 0;
    }

    private static long serviceId(Map<String, Object> props) {
        Object id = props.get(Constants.SERVICE_ID);
        return id instanceof Long ? (Long) id : -1;
    }
}
