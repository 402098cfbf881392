package dev.junction.ratelimit;

/**
 * Whom a rule names: {@code user[@tenant[#cluster]]}; each part may use {@code *} as a wildcard (any run of
 * characters, e.g. {@code app*}); a missing tenant or cluster means {@code *}. Matching is case-sensitive.
 */
record Who(String user, String tenant, String cluster) {

    static Who parse(String text) {
        String s = text.trim();
        if (s.isEmpty()) {
            throw new IllegalArgumentException("no user given");
        }
        String cluster = "*";
        int hash = s.indexOf('#');
        if (hash >= 0) {
            cluster = s.substring(hash + 1);
            s = s.substring(0, hash);
        }
        String tenant = "*";
        int at = s.indexOf('@');
        if (at >= 0) {
            tenant = s.substring(at + 1);
            s = s.substring(0, at);
        }
        check(s, "user", text);
        check(tenant, "tenant", text);
        check(cluster, "cluster", text);
        return new Who(s, tenant, cluster);
    }

    private static void check(String part, String what, String text) {
        if (part.isEmpty()) {
            throw new IllegalArgumentException("empty " + what + " in '" + text + "'");
        }
        for (int i = 0; i < part.length(); i++) {
            char c = part.charAt(i);
            if (Character.isWhitespace(c) || c == '@' || c == '#' || c == ',') {
                throw new IllegalArgumentException("bad character '" + c + "' in the " + what + " of '" + text + "'");
            }
        }
    }

    boolean matches(String u, String t, String c) {
        return glob(user, u) && glob(tenant, t) && glob(cluster, c);
    }

    /** {@code *} matches any run of characters, everything else itself. */
    static boolean glob(String pattern, String s) {
        if (s == null) {
            s = "";
        }
        int p = 0;
        int i = 0;
        int star = -1;
        int mark = 0;
        while (i < s.length()) {
            if (p < pattern.length() && pattern.charAt(p) != '*' && pattern.charAt(p) == s.charAt(i)) {
                p++;
                i++;
            } else if (p < pattern.length() && pattern.charAt(p) == '*') {
                star = p++;
                mark = i;
            } else if (star >= 0) {
                p = star + 1;
                i = ++mark;
            } else {
                return false;
            }
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') {
            p++;
        }
        return p == pattern.length();
    }

    @Override
    public String toString() {
        return user + "@" + tenant + "#" + cluster;
    }
}
