package dev.junction.core.metadata;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import dev.junction.api.topology.ServerAddress;
import dev.junction.api.topology.ServerState;
import dev.junction.core.cluster.ClusterConfig;
import dev.junction.core.config.ConfigException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.Test;

public class MetadataConfigTest {

    static {
        dev.junction.core.it.LeakRecorder.install(); // before any buffer class initialises
    }

    private static Map<String, Object> base() {
        Map<String, Object> m = new HashMap<>();
        m.put("name", "demo");
        m.put("zones", "z1,z2");
        m.put("zone.z1.region", "hangzhou");
        m.put("zone.z1.idc", "hz1");
        m.put("zone.z1.servers", "127.0.0.1:3307");
        m.put("zone.z2.servers", "127.0.0.1:3308");
        m.put("tenants", "app");
        m.put("tenant.app.primary_zone", "z2;z1");
        return m;
    }

    @Test
    public void defaults() throws ConfigException {
        MetadataConfig c = MetadataConfig.parse(base());
        assertEquals(MetadataConfig.Source.STATIC, c.source());
        assertEquals("oceanbase", c.database());
        assertEquals(20_000, c.refreshIntervalMillis());
        assertEquals(5_000, c.dirtyRefetchDelayMillis());
        assertEquals("proxyro", c.user());
    }

    @Test
    public void refusesBadValues() {
        for (Map.Entry<String, String> bad : List.of(Map.entry("metadata.source", "zookeeper"),
                Map.entry("metadata.rslist", "nope"), Map.entry("metadata.refresh_interval", "10ms"),
                Map.entry("metadata.database", "ob; drop"), Map.entry("metadata.dirty_refetch_delay", "soon"))) {
            Map<String, Object> m = base();
            m.put(bad.getKey(), bad.getValue());
            if (!bad.getKey().equals("metadata.source") && !bad.getKey().equals("metadata.rslist")) {
                m.put("metadata.source", "oceanbase");
                m.put("metadata.rslist", "127.0.0.1:2881");
            }
            try {
                MetadataConfig.parse(m);
                fail("accepted " + bad);
            } catch (ConfigException e) {
                assertTrue(e.getMessage(), e.getMessage().contains("dev.junction.cluster-demo.cfg"));
            }
        }
        Map<String, Object> m = base();
        m.put("metadata.source", "config_server");
        try {
            MetadataConfig.parse(m);
            fail("config_server without a url");
        } catch (ConfigException expected) {
            // refused
        }
    }

    @Test
    public void oceanbaseClustersMayOmitZones() throws ConfigException {
        Map<String, Object> m = new HashMap<>();
        m.put("name", "ob");
        m.put("metadata.source", "oceanbase");
        m.put("metadata.rslist", "10.0.0.1:2881;10.0.0.2:2881");
        assertEquals(0, ClusterConfig.parse(m).zones().size());
        assertEquals(List.of(ServerAddress.parse("10.0.0.1:2881"), ServerAddress.parse("10.0.0.2:2881")),
                MetadataConfig.parse(m).rslist());
    }

    @Test
    public void staticSourceServesTheClusterFile() throws ConfigException {
        Map<String, Object> m = base();
        MetadataCache c = MetadataCache.create(MetadataConfig.parse(m), ClusterConfig.parse(m), m, Path.of("."));
        c.start();
        try {
            Topology t = c.topology();
            assertEquals("static", t.source());
            assertEquals(ServerState.ACTIVE, t.stateOf(ServerAddress.parse("127.0.0.1:3307")));
            assertEquals("hz1", c.tenantServers("APP").get(0).zone().idc());
            assertEquals(2, c.tenantServers("app").size());
            assertEquals("z2;z1", c.primaryZone("app"));
            assertEquals(Optional.empty(), c.lookup("app", "test", "t"));
            assertEquals(0, c.status().routes());
        } finally {
            c.close();
        }
    }
}
