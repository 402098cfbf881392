package dev.junction.ratelimit;

import dev.junction.api.session.SessionInfo;
import dev.junction.api.statement.StatementInfo;
import dev.junction.api.statement.StatementType;
import dev.junction.api.statement.TableName;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Which statements a throttle or breaker rule covers: every condition given must hold (none given: every
 * statement). {@code user} = {@code user[@tenant[#cluster]]} with {@code *} wildcards; {@code tenant} =
 * {@code tenant[#cluster]} with wildcards; {@code type} = statement types ({@code SELECT,INSERT}); {@code table}
 * = {@code [db.]table} patterns, case-insensitive, any named table may match (an unqualified statement table is in
 * the session's database); {@code digest} = the statement digest, exactly. Cheap conditions are checked first;
 * the digest is computed only when every other condition held.
 */
final class Match {

    static final Match ALL = new Match(null, null, null, List.of(), null);

    private final Who user;
    private final Who tenant;
    private final Set<StatementType> types;
    private final List<String[]> tables;
    private final String digest;

    private Match(Who user, Who tenant, Set<StatementType> types, List<String[]> tables, String digest) {
        this.user = user;
        this.tenant = tenant;
        this.types = types;
        this.tables = tables;
        this.digest = digest;
    }

    /** The conditions from a rule's {@code user}, {@code tenant}, {@code type}, {@code table}, {@code digest} keys. */
    static Match parse(String user, String tenant, String type, String table, String digest) {
        Who u = user == null ? null : Who.parse(user);
        Who t = null;
        if (tenant != null) {
            if (tenant.indexOf('@') >= 0) {
                throw new IllegalArgumentException("expected <tenant>[#<cluster>], got '" + tenant + "'");
            }
            t = Who.parse("*@" + tenant.trim());
        }
        Set<StatementType> types = null;
        if (type != null) {
            types = EnumSet.noneOf(StatementType.class);
            for (String s : type.split("[,\\s]+")) {
                if (s.isEmpty()) {
                    continue;
                }
                try {
                    types.add(StatementType.valueOf(s.toUpperCase(Locale.ROOT)));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("unknown statement type '" + s + "' (one of "
                            + List.of(StatementType.values()) + ")");
                }
            }
            if (types.isEmpty()) {
                throw new IllegalArgumentException("no statement type given");
            }
        }
        List<String[]> tables = new ArrayList<>();
        if (table != null) {
            for (String s : table.split("[,\\s]+")) {
                if (s.isEmpty()) {
                    continue;
                }
                String p = s.replace("`", "").toLowerCase(Locale.ROOT);
                int dot = p.indexOf('.');
                if (dot == 0 || dot == p.length() - 1 || p.indexOf('.', dot + 1) >= 0) {
                    throw new IllegalArgumentException("expected [<database>.]<table>, got '" + s + "'");
                }
                tables.add(dot < 0 ? new String[] {null, p} : new String[] {p.substring(0, dot), p.substring(dot + 1)});
            }
            if (tables.isEmpty()) {
                throw new IllegalArgumentException("no table given");
            }
        }
        String d = null;
        if (digest != null) {
            d = digest.trim();
            if (d.isEmpty()) {
                throw new IllegalArgumentException("empty digest");
            }
        }
        return new Match(u, t, types, List.copyOf(tables), d);
    }

    boolean matches(StatementInfo statement, SessionInfo session) {
        if (user != null && !user.matches(session.user(), session.tenant(), session.cluster())) {
            return false;
        }
        if (tenant != null && !(Who.glob(tenant.tenant(), session.tenant()) && Who.glob(tenant.cluster(), session.cluster()))) {
            return false;
        }
        if (types != null && !types.contains(statement.type())) {
            return false;
        }
        if (!tables.isEmpty() && !anyTable(statement, session)) {
            return false;
        }
        return digest == null || digest.equals(statement.digest());
    }

    private boolean anyTable(StatementInfo statement, SessionInfo session) {
        for (TableName t : statement.tables()) {
            String name = t.table().toLowerCase(Locale.ROOT);
            String db = t.database() != null ? t.database() : session.database().orElse(null);
            for (String[] p : tables) {
                if (Who.glob(p[1], name) && (p[0] == null || (db != null && Who.glob(p[0], db.toLowerCase(Locale.ROOT))))) {
                    return true;
                }
            }
        }
        return false;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        if (user != null) {
            sb.append("user ").append(user);
        }
        if (tenant != null) {
            sb.append(sb.length() == 0 ? "" : ", ").append("tenant ").append(tenant.tenant()).append('#')
                    .append(tenant.cluster());
        }
        if (types != null) {
            sb.append(sb.length() == 0 ? "" : ", ").append("type ");
            int i = 0;
            for (StatementType t : types) {
                sb.append(i++ == 0 ? "" : ",").append(t);
            }
        }
        if (!tables.isEmpty()) {
            sb.append(sb.length() == 0 ? "" : ", ").append("table ");
            for (int i = 0; i < tables.size(); i++) {
                String[] p = tables.get(i);
                sb.append(i == 0 ? "" : ",").append(p[0] == null ? "" : p[0] + ".").append(p[1]);
            }
        }
        if (digest != null) {
            sb.append(sb.length() == 0 ? "" : ", ").append("digest '").append(digest).append('\'');
        }
        return sb.length() == 0 ? "every statement" : sb.toString();
    }
}
