package dev.junction.core.auth;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import dev.junction.core.config.ConfigException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.Test;

public class AuthTest {

    @Test
    public void loginNameForms() {
        assertEquals(new LoginName("u", "t", "c", "7"), LoginName.parse("u@t#c:7"));
        assertEquals(new LoginName("u", "t", "c", null), LoginName.parse("u@t#c"));
        assertEquals(new LoginName("u", "t", null, null), LoginName.parse("u@t"));
        assertEquals(new LoginName("u", null, null, null), LoginName.parse("u"));
        assertEquals(new LoginName("u", "t", "c", null), LoginName.parse("c:t:u"));
        assertEquals(new LoginName("u", "t", "c", null), LoginName.parse("c-t-u"));
        assertEquals(new LoginName("u", "t", "c", null), LoginName.parse("c.t.u"));
        assertEquals(new LoginName("u", "dt", "dc", null), LoginName.parse("u").withDefaults("dt", "dc"));
    }

    @Test
    public void nativePasswordRoundTrip() {
        byte[] stage2 = NativePassword.stage2("secret");
        // SELECT PASSWORD('secret') on MySQL 5.7 / MariaDB
        assertEquals("*14E65567ABDB5135D0CFD9A70B3032C179A49EE7", NativePassword.formatHash(stage2));
        byte[] scramble = NativePassword.newScramble();
        byte[] stage1 = NativePassword.sha1("secret".getBytes(StandardCharsets.UTF_8));
        byte[] token = NativePassword.token(stage1, scramble);
        assertArrayEquals(stage1, NativePassword.verify(stage2, scramble, token));
        token[0] ^= 1;
        assertNull(NativePassword.verify(stage2, scramble, token));
        assertArrayEquals(new byte[0], NativePassword.verify(new byte[0], scramble, new byte[0]));
        assertNull(NativePassword.verify(new byte[0], scramble, new byte[20]));
    }

    @Test
    public void accountsConfig() throws ConfigException {
        AccountsConfig cfg = AccountsConfig.parse(Map.of("user.app@app#demo", "*14E65567ABDB5135D0CFD9A70B3032C179A49EE7",
                "user.ro@app#demo", "", "internal.user", "proxyro", "internal.password", "x"));
        assertEquals(2, cfg.accounts().size());
        assertEquals("proxyro", cfg.internalUser());
        AccountStore store = new AccountStore();
        store.replace(AccountsConfig.SOURCE, cfg.accounts());
        assertEquals("app", store.find(new AccountKey("app", "APP", "Demo")).user());
        assertNull(store.find(new AccountKey("App", "app", "demo")));
        try {
            AccountsConfig.parse(Map.of("user.app@app#demo", "*123"));
            throw new AssertionError("bad hash accepted");
        } catch (ConfigException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("user.app@app#demo"));
        }
        try {
            AccountsConfig.parse(Map.of("user.app", ""));
            throw new AssertionError("account without tenant accepted");
        } catch (ConfigException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("user.app"));
        }
    }
}
