package dev.junction.core.cluster;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import dev.junction.api.topology.ServerAddress;
import dev.junction.core.config.ConfigException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.Test;

public class ClusterConfigTest {

    private static Map<String, Object> demo() {
        Map<String, Object> m = new HashMap<>();
        m.put("name", "demo");
        m.put("id", "1");
        m.put("zones", "z1,z2");
        m.put("zone.z1.region", "hangzhou");
        m.put("zone.z1.idc", "hz1");
        m.put("zone.z1.servers", "127.0.0.1:3307, 127.0.0.1:3308");
        m.put("zone.z2.servers", "[::1]:3309");
        m.put("tenants", "app,Other");
        m.put("tenant.app.zones", "z1,z2");
        m.put("tenant.Other.zones", "z2");
        return m;
    }

    @Test
    public void parsesZonesTenantsAndServers() throws ConfigException {
        ClusterConfig c = ClusterConfig.parse(demo());
        assertEquals("demo", c.name());
        assertEquals(1, c.id());
        assertEquals("hz1", c.zones().get("z1").zone().idc());
        assertEquals(List.of(ServerAddress.parse("127.0.0.1:3307"), ServerAddress.parse("127.0.0.1:3308"),
                ServerAddress.parse("[::1]:3309")), c.tenant("APP").servers());
        assertEquals(List.of(ServerAddress.parse("[::1]:3309")), c.tenant("other").servers());
        ClusterRegistry r = new ClusterRegistry();
        r.put(c);
        assertEquals(c, r.find("DEMO"));
    }

    @Test
    public void errorsNameTheKey() {
        String[][] cases = {{"zone.z1.servers", "nonsense"}, {"tenant.app.zones", "z9"}, {"id", "x"}, {"name", ""}};
        for (String[] bad : cases) {
            Map<String, Object> m = demo();
            m.put(bad[0], bad[1]);
            try {
                ClusterConfig.parse(m);
                fail("accepted " + bad[0] + "=" + bad[1]);
            } catch (ConfigException e) {
                assertTrue(e.getMessage(), e.getMessage().contains(bad[0]));
            }
        }
    }
}
