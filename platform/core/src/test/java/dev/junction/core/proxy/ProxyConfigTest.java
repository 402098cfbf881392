package dev.junction.core.proxy;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import dev.junction.core.config.ConfigException;
import java.util.Map;
import org.junit.Test;

public class ProxyConfigTest {

    @Test
    public void defaults() throws ConfigException {
        ProxyConfig c = ProxyConfig.parse(Map.of());
        assertEquals(2883, c.listenPort());
        assertEquals("5.7.25-Junction-0.1.0", c.serverVersion());
        assertEquals(5_000, c.connectTimeoutMillis());
        assertEquals(20_000, c.queryTimeoutMarginMillis());
        assertEquals(3_600_000 + 20_000, c.serverSilenceMillis());
        assertEquals(64 << 20, c.maxPacketSize());
        assertFalse(c.tlsEnabled());
    }

    @Test
    public void badValuesAreRefusedNamingTheKey() {
        String[][] cases = {{"connect_timeout", "soon"}, {"query_timeout", "0"}, {"tls_cert", "/nonexistent.pem"},
            {"max_packet_size", "12"}, {"server_version", "Junction"}, {"client_idle_timeout", "-1s"}};
        for (String[] bad : cases) {
            try {
                ProxyConfig.parse(Map.of(bad[0], bad[1]));
                fail("accepted " + bad[0]);
            } catch (ConfigException e) {
                assertTrue(e.getMessage(), e.getMessage().contains(bad[0]));
            }
        }
    }
}
