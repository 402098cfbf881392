package dev.junction.core.metadata;

/**
 * How a cluster's metadata source is doing.
 *
 * @param cluster cluster name
 * @param source {@code static}, {@code oceanbase} or {@code config_server}
 * @param lastSuccessMillis wall-clock time of the last good topology poll (0: never)
 * @param lastProblem the last poll or fetch problem, null after a good poll
 * @param routes number of cached route entries
 */
public record MetadataStatus(String cluster, String source, long lastSuccessMillis, String lastProblem, int routes) {
}
