package dev.junction.benchmarks;

import dev.junction.core.analysis.Analysis;
import dev.junction.core.analysis.StatementAnalyzer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** The routing pipeline's statement analyser on typical statements. Goal: a point select in at most 1 µs. */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class StatementAnalyzerBenchmark {

    static final String POINT_SELECT = "SELECT c FROM sbtest1 WHERE id=4999";
    static final String INSERT = "INSERT INTO sbtest1 (id, k, c, pad) VALUES (5001, 4993, "
            + "'83868641912-28773972837-60736120486-75162659906-27563526494-20381887404-41576422241-93426793964-"
            + "56405065102-33518432330', '67847967377-48000963322-62604785301-91415491898-96926520291')";
    static final String JOIN = "SELECT o.id, c.name, i.sku FROM shop.orders o JOIN shop.customers c ON c.id = o.customer_id"
            + " JOIN shop.order_items i ON i.order_id = o.id WHERE o.id = 1234 AND c.region IN ('eu', 'us')";

    private final StatementAnalyzer analyzer = new StatementAnalyzer();
    private final byte[] pointSelectBytes = POINT_SELECT.getBytes(StandardCharsets.UTF_8);
    // fields, not constants, so that the JIT cannot fold the input
    private String pointSelect = POINT_SELECT;
    private String insert = INSERT;
    private String join = JOIN;

    @Benchmark
    public Analysis pointSelect() {
        return analyzer.analyze(pointSelect);
    }

    @Benchmark
    public Analysis pointSelectBytes() {
        return analyzer.analyze(pointSelectBytes, 0, pointSelectBytes.length);
    }

    @Benchmark
    public Analysis insertValues() {
        return analyzer.analyze(insert);
    }

    @Benchmark
    public Analysis threeTableJoin() {
        return analyzer.analyze(join);
    }
}
