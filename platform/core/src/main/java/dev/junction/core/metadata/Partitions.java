package dev.junction.core.metadata;

import dev.junction.core.metadata.PartitionInfo.KeyType;
import dev.junction.core.metadata.PartitionInfo.Type;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Computes a table's partition from partition-key values (first-level partitioning only).
 *
 * <ul>
 * <li><b>HASH</b> ({@code PARTITION BY HASH(col)}): {@code |v mod part_num|} on the 64-bit signed value, NULL
 * as 0. This is MySQL's and MariaDB's definition and, as far as we know, OceanBase MySQL mode's for a bare
 * integer column; HASH over a string column does not exist in MySQL and is not computed.</li>
 * <li><b>KEY</b> ({@code PARTITION BY KEY(cols)}): MariaDB's algorithm, {@code nr1=1, nr2=4}, for each column
 * {@code MY_HASH_ADD} ({@code nr1 ^= (((nr1 & 63) + nr2) * byte) + (nr1 << 8); nr2 += 3}, unsigned 64-bit)
 * over the column's stored bytes: integers little-endian in their declared width, each byte replaced by its
 * latin1_swedish_ci weight and trailing space-weight bytes dropped (MariaDB hashes numeric fields through
 * that collation); strings as UTF-8 with trailing spaces removed, i.e. a {@code _bin} collation; NULL as
 * {@code nr1 ^= (nr1 << 1) | 1}; partition
 * = {@code (uint32) nr1 mod part_num}. Exact for MariaDB/MySQL integer keys and {@code utf8mb4_bin} /
 * binary string keys; <em>not</em> OceanBase's KEY (which hashes with murmurhash over its own object
 * encoding) and not case-insensitive collations.</li>
 * <li><b>RANGE / RANGE COLUMNS</b>: the first partition whose {@code VALUES LESS THAN} tuple is greater than
 * the key (lexicographic over columns; NULL sorts first; MAXVALUE last). Integers exact; strings compared by
 * UTF-16 code units after trimming trailing spaces (equal to {@code utf8mb4_bin} order for BMP text).</li>
 * <li><b>LIST / LIST COLUMNS</b>: the partition listing the value (integers numerically, strings exactly
 * after trimming trailing spaces), else the DEFAULT partition.</li>
 * </ul>
 * Partition ids: HASH and KEY partition {@code i} has id {@code i}; RANGE and LIST use the ids their bounds
 * were read with.
 */
public final class Partitions {

    /** Several values for one column (e.g. {@code IN (...)}) are tried up to this many combinations. */
    static final int MAX_COMBINATIONS = 64;

    private Partitions() {
    }

    /**
     * The partition id the key values select, or empty when it cannot be computed (unknown table, missing
     * key column, unsupported type or function, values spanning several partitions, no partition accepts
     * the value). A table without partitions always gives its only partition.
     *
     * @param keyValues column name (case-insensitive; a {@code t.} qualifier is ignored) → the literal
     *        values the statement gives it, as text (quotes optional; unquoted {@code NULL} is SQL NULL)
     */
    public static OptionalLong partitionFor(TableRoute entry, Map<String, List<String>> keyValues) {
        if (entry == null || !entry.exists()) {
            return OptionalLong.empty();
        }
        PartitionInfo info = entry.partitionInfo();
        if (!info.partitioned()) {
            return OptionalLong.of(entry.partitions().isEmpty() ? 0 : entry.partitions().get(0).partitionId());
        }
        return compute(info, keyValues);
    }

    /** As {@link #partitionFor} on partition info alone. */
    public static OptionalLong compute(PartitionInfo info, Map<String, List<String>> keyValues) {
        if (info.level() != 1 || info.keyColumns().isEmpty() || info.partNum() <= 0) {
            return OptionalLong.empty();
        }
        List<List<String>> perColumn = new ArrayList<>();
        for (String col : info.keyColumns()) {
            List<String> vals = valuesFor(keyValues, col);
            if (vals == null || vals.isEmpty()) {
                return OptionalLong.empty();
            }
            perColumn.add(vals);
        }
        long combos = 1;
        for (List<String> v : perColumn) {
            combos *= v.size();
            if (combos > MAX_COMBINATIONS) {
                return OptionalLong.empty();
            }
        }
        Long result = null;
        int[] idx = new int[perColumn.size()];
        for (long c = 0; c < combos; c++) {
            List<Object> tuple = new ArrayList<>(idx.length);
            for (int i = 0; i < idx.length; i++) {
                Object v = typed(perColumn.get(i).get(idx[i]), info.keyTypes().get(i));
                if (v == UNUSABLE) {
                    return OptionalLong.empty();
                }
                tuple.add(v);
            }
            OptionalLong p = computeOne(info, tuple);
            if (p.isEmpty() || (result != null && result != p.getAsLong())) {
                return OptionalLong.empty();
            }
            result = p.getAsLong();
            for (int i = idx.length - 1; i >= 0; i--) {
                if (++idx[i] < perColumn.get(i).size()) {
                    break;
                }
                idx[i] = 0;
            }
        }
        return result == null ? OptionalLong.empty() : OptionalLong.of(result);
    }

    private static List<String> valuesFor(Map<String, List<String>> keyValues, String column) {
        for (Map.Entry<String, List<String>> e : keyValues.entrySet()) {
            String k = e.getKey();
            int dot = k.lastIndexOf('.');
            String bare = (dot >= 0 ? k.substring(dot + 1) : k).replace("`", "");
            if (bare.equalsIgnoreCase(column)) {
                return e.getValue();
            }
        }
        return null;
    }

    private static OptionalLong computeOne(PartitionInfo info, List<Object> tuple) {
        switch (info.type()) {
            case HASH: {
                if (tuple.size() != 1 || !info.keyTypes().get(0).isInteger()) {
                    return OptionalLong.empty();
                }
                long v = tuple.get(0) == null ? 0 : ((BigInteger) tuple.get(0)).longValue();
                return OptionalLong.of(Math.abs(v % info.partNum()));
            }
            case KEY: {
                long nr1 = 1;
                long nr2 = 4;
                for (int i = 0; i < tuple.size(); i++) {
                    Object v = tuple.get(i);
                    if (v == null) {
                        nr1 ^= (nr1 << 1) | 1;
                        continue;
                    }
                    KeyType kt = info.keyTypes().get(i);
                    byte[] bytes = storedBytes(v, kt);
                    int end = bytes.length;
                    if (kt.isInteger()) {
                        // numeric fields hash through latin1_swedish_ci (my_hash_sort_simple): weights, trailing spaces trimmed
                        while (end > 0 && LATIN1_SWEDISH_CI[bytes[end - 1] & 0xff] == LATIN1_SWEDISH_CI[' ']) {
                            end--;
                        }
                    }
                    for (int k = 0; k < end; k++) {
                        int w = kt.isInteger() ? LATIN1_SWEDISH_CI[bytes[k] & 0xff] : bytes[k] & 0xff;
                        nr1 ^= (((nr1 & 63) + nr2) * w) + (nr1 << 8);
                        nr2 += 3;
                    }
                }
                return OptionalLong.of((nr1 & 0xffffffffL) % info.partNum());
            }
            case RANGE:
            case RANGE_COLUMNS:
                for (PartitionBound b : info.bounds()) {
                    if (b.highBound().size() == tuple.size() && compareTuples(tuple, b.highBound()) < 0) {
                        return OptionalLong.of(b.partitionId());
                    }
                }
                return OptionalLong.empty();
            case LIST:
            case LIST_COLUMNS: {
                Long dflt = null;
                for (PartitionBound b : info.bounds()) {
                    if (b.listDefault()) {
                        dflt = b.partitionId();
                    }
                    for (List<Object> t : b.listValues()) {
                        if (t.size() == tuple.size() && compareTuples(tuple, t) == 0) {
                            return OptionalLong.of(b.partitionId());
                        }
                    }
                }
                return dflt == null ? OptionalLong.empty() : OptionalLong.of(dflt);
            }
            default:
                return OptionalLong.empty();
        }
    }

    /** MariaDB's latin1_swedish_ci sort order, through which it hashes numeric fields for KEY partitioning. */
    private static final int[] LATIN1_SWEDISH_CI = {
            0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x0E, 0x0F,
            0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1A, 0x1B, 0x1C, 0x1D, 0x1E, 0x1F,
            0x20, 0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0x27, 0x28, 0x29, 0x2A, 0x2B, 0x2C, 0x2D, 0x2E, 0x2F,
            0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3A, 0x3B, 0x3C, 0x3D, 0x3E, 0x3F,
            0x40, 0x41, 0x42, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49, 0x4A, 0x4B, 0x4C, 0x4D, 0x4E, 0x4F,
            0x50, 0x51, 0x52, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5A, 0x5B, 0x5C, 0x5D, 0x5E, 0x5F,
            0x60, 0x41, 0x42, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49, 0x4A, 0x4B, 0x4C, 0x4D, 0x4E, 0x4F,
            0x50, 0x51, 0x52, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5A, 0x7B, 0x7C, 0x7D, 0x7E, 0x7F,
            0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8A, 0x8B, 0x8C, 0x8D, 0x8E, 0x8F,
            0x90, 0x91, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9A, 0x9B, 0x9C, 0x9D, 0x9E, 0x9F,
            0xA0, 0xA1, 0xA2, 0xA3, 0xA4, 0xA5, 0xA6, 0xA7, 0xA8, 0xA9, 0xAA, 0xAB, 0xAC, 0xAD, 0xAE, 0xAF,
            0xB0, 0xB1, 0xB2, 0xB3, 0xB4, 0xB5, 0xB6, 0xB7, 0xB8, 0xB9, 0xBA, 0xBB, 0xBC, 0xBD, 0xBE, 0xBF,
            0x41, 0x41, 0x41, 0x41, 0x5C, 0x5B, 0x5C, 0x43, 0x45, 0x45, 0x45, 0x45, 0x49, 0x49, 0x49, 0x49,
            0x44, 0x4E, 0x4F, 0x4F, 0x4F, 0x4F, 0x5D, 0xD7, 0xD8, 0x55, 0x55, 0x55, 0x59, 0x59, 0xDE, 0xDF,
            0x41, 0x41, 0x41, 0x41, 0x5C, 0x5B, 0x5C, 0x43, 0x45, 0x45, 0x45, 0x45, 0x49, 0x49, 0x49, 0x49,
            0x44, 0x4E, 0x4F, 0x4F, 0x4F, 0x4F, 0x5D, 0xF7, 0xD8, 0x55, 0x55, 0x55, 0x59, 0x59, 0xDE, 0xFF,
    };

    private static byte[] storedBytes(Object v, KeyType type) {
        if (type.isInteger()) {
            long n = ((BigInteger) v).longValue();
            byte[] b = new byte[type.bytes()];
            for (int i = 0; i < b.length; i++) {
                b[i] = (byte) (n >>> (8 * i));
            }
            return b;
        }
        return ((String) v).getBytes(StandardCharsets.UTF_8);
    }

    /** Lexicographic; NULL first, MAXVALUE last. Values of one column have the same Java type. */
    static int compareTuples(List<Object> a, List<Object> b) {
        for (int i = 0; i < a.size(); i++) {
            int c = compareValues(a.get(i), b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    @SuppressWarnings("unchecked")
    private static int compareValues(Object x, Object y) {
        if (x == y) {
            return 0;
        }
        if (x == PartitionBound.MAXVALUE) {
            return 1;
        }
        if (y == PartitionBound.MAXVALUE) {
            return -1;
        }
        if (x == null) {
            return -1;
        }
        if (y == null) {
            return 1;
        }
        if (x.getClass() != y.getClass()) {
            return x.toString().compareTo(y.toString());
        }
        return ((Comparable<Object>) x).compareTo(y);
    }

    private static final Object UNUSABLE = new Object();

    /** A statement's literal as the key column's Java type: BigInteger, trimmed String, null; or UNUSABLE. */
    static Object typed(String raw, KeyType type) {
        if (raw == null) {
            return null;
        }
        String s = raw.trim();
        boolean quoted = s.length() >= 2 && (s.charAt(0) == '\'' || s.charAt(0) == '"')
                && s.charAt(s.length() - 1) == s.charAt(0);
        if (!quoted && s.equalsIgnoreCase("NULL")) {
            return null;
        }
        if (quoted) {
            s = unquote(s);
        }
        if (type.isInteger()) {
            try {
                return new BigInteger(s.trim().startsWith("+") ? s.trim().substring(1) : s.trim());
            } catch (NumberFormatException e) {
                return UNUSABLE;
            }
        }
        if (type == KeyType.STRING) {
            return stripTrailingSpaces(s);
        }
        return UNUSABLE;
    }

    static String stripTrailingSpaces(String s) {
        int end = s.length();
        while (end > 0 && s.charAt(end - 1) == ' ') {
            end--;
        }
        return s.substring(0, end);
    }

    static String unquote(String s) {
        char q = s.charAt(0);
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 1; i < s.length() - 1; i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length() - 1) {
                char n = s.charAt(++i);
                b.append(n == 'n' ? '\n' : n == 't' ? '\t' : n == '0' ? '\0' : n);
            } else if (c == q && i + 1 < s.length() - 1 && s.charAt(i + 1) == q) {
                b.append(q);
                i++;
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    // ---- bounds as stored in the metadata tables -------------------------------------------------

    /**
     * Parses a RANGE {@code high_bound_val} such as {@code 100}, {@code 'm'}, {@code 10,'x'} or
     * {@code MAXVALUE} into one value per key column.
     */
    static List<Object> parseHighBound(String text, List<KeyType> types) throws MetadataException {
        List<String> parts = splitTopLevel(stripParens(text.trim()));
        if (parts.size() != types.size()) {
            throw new MetadataException("high_bound_val '" + text + "' has " + parts.size() + " values for "
                    + types.size() + " key columns");
        }
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            out.add(boundValue(parts.get(i), types.get(i), text));
        }
        return out;
    }

    /**
     * Parses a LIST {@code list_val} such as {@code 1,2,3}, {@code 'a','b'}, {@code (1,'a'),(2,'b')} or
     * {@code DEFAULT}; returns null for DEFAULT.
     */
    static List<List<Object>> parseListValues(String text, List<KeyType> types) throws MetadataException {
        String t = text.trim();
        if (t.equalsIgnoreCase("DEFAULT")) {
            return null;
        }
        List<List<Object>> out = new ArrayList<>();
        for (String item : splitTopLevel(t)) {
            List<String> parts = types.size() == 1 ? List.of(stripParens(item.trim()))
                    : splitTopLevel(stripParens(item.trim()));
            if (parts.size() != types.size()) {
                throw new MetadataException("list_val '" + text + "': '" + item + "' does not have "
                        + types.size() + " values");
            }
            List<Object> tuple = new ArrayList<>();
            for (int i = 0; i < parts.size(); i++) {
                Object v = boundValue(parts.get(i), types.get(i), text);
                if (v == PartitionBound.MAXVALUE) {
                    throw new MetadataException("list_val '" + text + "': MAXVALUE in a list");
                }
                tuple.add(v);
            }
            out.add(tuple);
        }
        return out;
    }

    private static Object boundValue(String token, KeyType type, String whole) throws MetadataException {
        String s = token.trim();
        if (s.equalsIgnoreCase("MAXVALUE")) {
            return PartitionBound.MAXVALUE;
        }
        Object v = typed(s, type);
        if (v == UNUSABLE) {
            throw new MetadataException("bound '" + whole + "': '" + s + "' is not a " + type.name().toLowerCase(
                    Locale.ROOT) + " value");
        }
        return v;
    }

    private static String stripParens(String s) {
        if (s.startsWith("(") && s.endsWith(")")) {
            return s.substring(1, s.length() - 1);
        }
        return s;
    }

    /** Splits on commas outside quotes and parentheses. */
    static List<String> splitTopLevel(String s) {
        List<String> out = new ArrayList<>();
        int depth = 0;
        char quote = 0;
        int start = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quote != 0) {
                if (c == '\\') {
                    i++;
                } else if (c == quote) {
                    quote = 0;
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == ',' && depth == 0) {
                out.add(s.substring(start, i).trim());
                start = i + 1;
            }
        }
        out.add(s.substring(start).trim());
        return out;
    }
}
