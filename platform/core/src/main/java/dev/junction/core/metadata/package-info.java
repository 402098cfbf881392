/**
 * Cluster metadata and the route cache (private to the core).
 *
 * <p><b>Reading.</b> {@link dev.junction.core.metadata.MetadataService#find} gives a cluster's
 * {@link dev.junction.core.metadata.ClusterMetadata}. Everything it returns is an immutable snapshot read with
 * one volatile load, so the routing pipeline calls it on the event loop: {@code topology()} (zones, servers
 * and their metadata states, tenants with primary zone and servers), {@code lookup(tenant, db, table)}
 * (the cached {@link dev.junction.core.metadata.TableRoute}, or empty while the first fetch runs),
 * {@code partitionFor(entry, keyValues)} (see {@link dev.junction.core.metadata.Partitions} for what is
 * computed exactly) and {@code markDirty(entry, reason)} for feedback.
 *
 * <p><b>Fetching.</b> Each cluster has one daemon thread. It polls the topology every
 * {@code metadata.refresh_interval} (20 s) and fetches tables on demand: first lookup, a dirty entry
 * ({@code markDirty}; refetched no sooner than {@code metadata.dirty_refetch_delay}, 5 s, after its last
 * update or failed attempt), a negative entry looked up again after that delay, and admin refreshes (at once).
 * Sources: {@code static} (the cluster file; no table locations), {@code oceanbase} (OceanBase's proxy
 * tables over a minimal blocking MySQL client, no JDBC) and {@code config_server} (the rslist from an
 * OCP-like HTTP service, cached on disk, then as {@code oceanbase}).
 *
 * <p><b>Failures.</b> A poll or fetch that fails (unreachable rslist, missing or malformed table, garbage
 * from the config server) changes nothing: the last good topology and entries keep serving. Problems are
 * logged once at WARN, repeated at most every {@code metadata.error_log_interval} while they last, and their
 * end is logged at INFO.
 *
 * <p><b>Account.</b> Metadata is read with {@code metadata.user} / {@code metadata.password} from the
 * cluster file (OceanBase's read-only {@code proxyro@sys}), not the accounts file's internal user: the
 * metadata account belongs to a cluster, and a cluster file then holds all a cluster needs.
 */
package dev.junction.core.metadata;
