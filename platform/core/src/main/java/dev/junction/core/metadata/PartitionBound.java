package dev.junction.core.metadata;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One RANGE or LIST partition's bound. Values are {@code Long} or {@code java.math.BigInteger} for integer
 * keys, {@code String} for string keys, {@code null} for SQL NULL, and {@link #MAXVALUE}.
 *
 * @param partitionId the partition id the bound belongs to
 * @param name the partition name (informational)
 * @param highBound RANGE: the exclusive upper bound, one value per key column
 * @param listValues LIST: the accepted values, each a tuple of one value per key column
 * @param listDefault LIST: the DEFAULT partition
 */
public record PartitionBound(long partitionId, String name, List<Object> highBound, List<List<Object>> listValues,
        boolean listDefault) {

    /** RANGE's MAXVALUE: greater than every value. */
    public static final Object MAXVALUE = new Object() {
        @Override
        public String toString() {
            return "MAXVALUE";
        }
    };

    public PartitionBound {
        highBound = Collections.unmodifiableList(new ArrayList<>(highBound));
        List<List<Object>> lv = new ArrayList<>();
        for (List<Object> t : listValues) {
            lv.add(Collections.unmodifiableList(new ArrayList<>(t)));
        }
        listValues = Collections.unmodifiableList(lv);
    }
}
