package dev.junction.core.metadata;

import java.util.List;

/**
 * The tables of OceanBase's proxy metadata as the tests emulate them in a MariaDB database: the columns the
 * {@code oceanbase} metadata source reads. Each test fills in its own rows.
 */
public final class EmulatedOceanBase {

    private EmulatedOceanBase() {
    }

    /** CREATE DATABASE and CREATE TABLE statements for database {@code db}. */
    public static List<String> schema(String db) {
        return List.of(
                "CREATE DATABASE " + db,
                "CREATE TABLE " + db + ".__all_virtual_proxy_server_stat (svr_ip VARCHAR(46), svr_port INT,"
                        + " zone VARCHAR(64), status VARCHAR(32), start_service_time BIGINT, stop_time BIGINT)",
                "CREATE TABLE " + db + ".__all_virtual_zone_stat (zone VARCHAR(64), is_merging INT, status VARCHAR(32),"
                        + " region VARCHAR(64), spare4 VARCHAR(64), spare5 VARCHAR(64))",
                "CREATE TABLE " + db + ".__all_tenant (tenant_name VARCHAR(64), primary_zone VARCHAR(128),"
                        + " locality VARCHAR(256))",
                "CREATE TABLE " + db + ".__all_virtual_proxy_schema (tenant_name VARCHAR(64), database_name VARCHAR(64),"
                        + " table_name VARCHAR(64), partition_id BIGINT, svr_ip VARCHAR(46), sql_port INT, table_id BIGINT,"
                        + " role INT, part_num INT, replica_num INT, spare1 INT)",
                "CREATE TABLE " + db + ".__all_virtual_proxy_partition_info (tenant_name VARCHAR(64), table_id BIGINT,"
                        + " part_level INT, part_num INT, part_type VARCHAR(32), part_key_name VARCHAR(128),"
                        + " part_key_type VARCHAR(64), part_key_idx INT)",
                "CREATE TABLE " + db + ".__all_virtual_proxy_partition (tenant_name VARCHAR(64), table_id BIGINT,"
                        + " part_id BIGINT, part_name VARCHAR(64), high_bound_val VARCHAR(256), list_val VARCHAR(256))");
    }
}
