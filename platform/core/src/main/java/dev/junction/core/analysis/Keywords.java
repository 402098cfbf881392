package dev.junction.core.analysis;

/**
 * The keywords the analyser looks at, found by an allocation-free, ASCII case-insensitive lookup of a region
 * of the statement text. Words that are not listed here are plain identifiers to the analyser.
 */
final class Keywords {

    /** Reserved: cannot be a table name, alias or column name without quoting. */
    static final int RESERVED = 1;
    /** An operator word: a literal followed by it is part of an expression. */
    static final int OPERATOR = 2;
    /** A function whose argument list can contain FROM ({@code EXTRACT(YEAR FROM d)}). */
    static final int FROM_FUNCTION = 4;

    private static final String[] NAMES = {
        "select", "insert", "update", "delete", "replace", "load", "data", "xml", "begin", "start",
        "transaction", "work", "commit", "rollback", "savepoint", "release", "to", "set", "use", "show",
        "call", "prepare", "execute", "deallocate", "create", "alter", "drop", "truncate", "rename", "table",
        "with", "from", "join", "straight_join", "into", "using", "where", "and", "or", "xor",
        "on", "in", "for", "share", "lock", "values", "value", "dual", "if", "not",
        "exists", "temporary", "low_priority", "high_priority", "delayed", "ignore", "quick", "partition", "as",
        "left", "right", "inner", "cross", "natural", "outer", "group", "order", "by", "limit",
        "having", "window", "union", "except", "intersect", "index", "key", "force", "procedure", "returning",
        "div", "mod", "collate", "is", "like", "regexp", "rlike", "between", "sounds", "member",
        "escape", "extract", "trim", "substring", "substr", "position", "overlay", "distinct", "online", "tables",
    };

    static final int SELECT = 0, INSERT = 1, UPDATE = 2, DELETE = 3, REPLACE = 4, LOAD = 5, DATA = 6, XML = 7,
            BEGIN = 8, START = 9, TRANSACTION = 10, WORK = 11, COMMIT = 12, ROLLBACK = 13, SAVEPOINT = 14,
            RELEASE = 15, TO = 16, SET = 17, USE = 18, SHOW = 19, CALL = 20, PREPARE = 21, EXECUTE = 22,
            DEALLOCATE = 23, CREATE = 24, ALTER = 25, DROP = 26, TRUNCATE = 27, RENAME = 28, TABLE = 29,
            WITH = 30, FROM = 31, JOIN = 32, STRAIGHT_JOIN = 33, INTO = 34, USING = 35, WHERE = 36, AND = 37,
            OR = 38, XOR = 39, ON = 40, IN = 41, FOR = 42, SHARE = 43, LOCK = 44, VALUES = 45, VALUE = 46,
            DUAL = 47, IF = 48, NOT = 49, EXISTS = 50, TEMPORARY = 51, LOW_PRIORITY = 52, HIGH_PRIORITY = 53,
            DELAYED = 54, IGNORE = 55, QUICK = 56, PARTITION = 57, AS = 58, LEFT = 59, RIGHT = 60, INNER = 61,
            CROSS = 62, NATURAL = 63, OUTER = 64, GROUP = 65, ORDER = 66, BY = 67, LIMIT = 68, HAVING = 69,
            WINDOW = 70, UNION = 71, EXCEPT = 72, INTERSECT = 73, INDEX = 74, KEY = 75, FORCE = 76,
            PROCEDURE = 77, RETURNING = 78, DIV = 79, MOD = 80, COLLATE = 81, IS = 82, LIKE = 83, REGEXP = 84,
            RLIKE = 85, BETWEEN = 86, SOUNDS = 87, MEMBER = 88, ESCAPE = 89, EXTRACT = 90, TRIM = 91,
            SUBSTRING = 92, SUBSTR = 93, POSITION = 94, OVERLAY = 95, DISTINCT = 96, ONLINE = 97, TABLES = 98;

    private static final int[] FLAGS = new int[NAMES.length];
    private static final char[][] CHARS = new char[NAMES.length][];
    private static final int TABLE_BITS = 9;
    private static final short[] SLOTS = new short[1 << TABLE_BITS];
    static final int MAX_LENGTH;

    static {
        int[] reserved = {SELECT, INSERT, UPDATE, DELETE, REPLACE, LOAD, RELEASE, TO, SET, USE, SHOW, CALL, CREATE,
            ALTER, DROP, RENAME, TABLE, WITH, FROM, JOIN, STRAIGHT_JOIN, INTO, USING, WHERE, AND, OR, XOR, ON, IN,
            FOR, LOCK, VALUES, DUAL, IF, NOT, EXISTS, LOW_PRIORITY, HIGH_PRIORITY, DELAYED, IGNORE, PARTITION, AS,
            LEFT, RIGHT, INNER, CROSS, NATURAL, OUTER, GROUP, ORDER, BY, LIMIT, HAVING, WINDOW, UNION, EXCEPT,
            INTERSECT, INDEX, KEY, FORCE, PROCEDURE, RETURNING, DIV, MOD, COLLATE, IS, LIKE, REGEXP, RLIKE, BETWEEN,
            DISTINCT};
        for (int k : reserved) {
            FLAGS[k] |= RESERVED;
        }
        for (int k : new int[] {DIV, MOD, COLLATE, IS, LIKE, REGEXP, RLIKE, BETWEEN, SOUNDS, MEMBER, ESCAPE, IN, NOT}) {
            FLAGS[k] |= OPERATOR;
        }
        for (int k : new int[] {EXTRACT, TRIM, SUBSTRING, SUBSTR, POSITION, OVERLAY}) {
            FLAGS[k] |= FROM_FUNCTION;
        }
        java.util.Arrays.fill(SLOTS, (short) -1);
        int max = 0;
        for (int k = 0; k < NAMES.length; k++) {
            char[] cs = NAMES[k].toCharArray();
            CHARS[k] = cs;
            max = Math.max(max, cs.length);
            int h = 0;
            for (char c : cs) {
                h = step(h, c);
            }
            int slot = h & (SLOTS.length - 1);
            while (SLOTS[slot] >= 0) {
                slot = (slot + 1) & (SLOTS.length - 1);
            }
            SLOTS[slot] = (short) k;
        }
        MAX_LENGTH = max;
    }

    private Keywords() {
    }

    /** One step of the case-insensitive hash (ASCII letters are folded to lower case). */
    static int step(int h, char c) {
        return h * 31 + (c >= 'A' && c <= 'Z' ? c + 32 : c);
    }

    /** The keyword id of {@code s[start, start + len)} whose {@link #step} hash is {@code hash}, or -1. */
    static int lookup(String s, int start, int len, int hash) {
        if (len > MAX_LENGTH) {
            return -1;
        }
        int slot = hash & (SLOTS.length - 1);
        for (;;) {
            int k = SLOTS[slot];
            if (k < 0) {
                return -1;
            }
            char[] cs = CHARS[k];
            if (cs.length == len && same(s, start, cs)) {
                return k;
            }
            slot = (slot + 1) & (SLOTS.length - 1);
        }
    }

    private static boolean same(String s, int start, char[] cs) {
        for (int i = 0; i < cs.length; i++) {
            char c = s.charAt(start + i);
            if (c >= 'A' && c <= 'Z') {
                c += 32;
            }
            if (c != cs[i]) {
                return false;
            }
        }
        return true;
    }

    static boolean is(int kw, int flag) {
        return kw >= 0 && (FLAGS[kw] & flag) != 0;
    }

    /** Whether {@code s[start, start + len)} is {@code lowerCaseWord}, ignoring ASCII case. */
    static boolean matches(String s, int start, int len, String lowerCaseWord) {
        if (len != lowerCaseWord.length()) {
            return false;
        }
        for (int i = 0; i < len; i++) {
            char c = s.charAt(start + i);
            if (c >= 'A' && c <= 'Z') {
                c += 32;
            }
            if (c != lowerCaseWord.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
