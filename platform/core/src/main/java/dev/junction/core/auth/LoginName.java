package dev.junction.core.auth;

/**
 * A client's user name split into user, tenant and cluster. Accepted forms:
 * {@code user@tenant#cluster:cluster_id}, {@code user@tenant#cluster}, {@code user@tenant}, {@code user},
 * and {@code cluster:tenant:user} (separators {@code :}, {@code -} or {@code .}). Missing parts are null.
 */
public record LoginName(String user, String tenant, String cluster, String clusterId) {

    public static LoginName parse(String text) {
        if (text.indexOf('@') >= 0 || text.indexOf('#') >= 0) {
            return parseStandard(text);
        }
        for (char sep : new char[] {':', '-', '.'}) {
            String[] parts = text.split(java.util.regex.Pattern.quote(String.valueOf(sep)), -1);
            if (parts.length == 3 && !parts[0].isEmpty() && !parts[1].isEmpty() && !parts[2].isEmpty()) {
                return new LoginName(parts[2], parts[1], parts[0], null);
            }
        }
        return new LoginName(text, null, null, null);
    }

    private static LoginName parseStandard(String text) {
        String rest = text;
        String clusterPart = null;
        int hash = rest.indexOf('#');
        if (hash >= 0) {
            clusterPart = rest.substring(hash + 1);
            rest = rest.substring(0, hash);
        }
        String tenant = null;
        int at = rest.indexOf('@');
        if (at >= 0) {
            tenant = emptyToNull(rest.substring(at + 1));
            rest = rest.substring(0, at);
        }
        String cluster = null;
        String clusterId = null;
        if (clusterPart != null) {
            int colon = clusterPart.indexOf(':');
            if (colon >= 0) {
                clusterId = emptyToNull(clusterPart.substring(colon + 1));
                clusterPart = clusterPart.substring(0, colon);
            }
            cluster = emptyToNull(clusterPart);
        }
        return new LoginName(rest, tenant, cluster, clusterId);
    }

    private static String emptyToNull(String s) {
        return s.isEmpty() ? null : s;
    }

    public LoginName withDefaults(String defaultTenant, String defaultCluster) {
        return new LoginName(user, tenant != null ? tenant : emptyToNull(defaultTenant),
                cluster != null ? cluster : emptyToNull(defaultCluster), clusterId);
    }
}
