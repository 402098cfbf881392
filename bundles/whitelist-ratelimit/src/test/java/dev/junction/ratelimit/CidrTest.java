package dev.junction.ratelimit;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.net.InetAddress;
import org.junit.Test;

public class CidrTest {

    private static InetAddress ip(String s) throws Exception {
        return InetAddress.getByName(s);
    }

    private static boolean m(String cidr, String address) throws Exception {
        return Cidr.parse(cidr).matches(ip(address));
    }

    @Test
    public void ipv4Networks() throws Exception {
        assertTrue(m("10.0.0.0/8", "10.255.1.2"));
        assertFalse(m("10.0.0.0/8", "11.0.0.1"));
        assertTrue(m("192.168.1.128/25", "192.168.1.200"));
        assertFalse(m("192.168.1.128/25", "192.168.1.127"));
        assertTrue(m("172.16.0.0/12", "172.31.255.255"));
        assertFalse(m("172.16.0.0/12", "172.32.0.0"));
    }

    @Test
    public void ipv4HostAndEverything() throws Exception {
        assertTrue(m("127.0.0.1/32", "127.0.0.1"));
        assertFalse(m("127.0.0.1/32", "127.0.0.2"));
        assertTrue(m("127.0.0.1", "127.0.0.1"));
        assertFalse(m("127.0.0.1", "127.0.0.2"));
        assertTrue(m("0.0.0.0/0", "1.2.3.4"));
        assertTrue(m("0.0.0.0/0", "255.255.255.255"));
        assertFalse("an IPv4 rule never matches IPv6", m("0.0.0.0/0", "::1"));
    }

    @Test
    public void ipv6() throws Exception {
        assertTrue(m("::1", "::1"));
        assertTrue(m("::1/128", "0:0:0:0:0:0:0:1"));
        assertFalse(m("::1/128", "::2"));
        assertTrue(m("fd00::/8", "fdab:1234::5"));
        assertFalse(m("fd00::/8", "fe80::1"));
        assertTrue(m("2001:db8::/32", "2001:db8:ffff::1"));
        assertFalse(m("2001:db8::/33", "2001:db8:8000::1"));
        assertTrue(m("::/0", "2001:db8::1"));
        assertFalse("an IPv6 rule never matches IPv4", m("::/0", "10.0.0.1"));
    }

    @Test
    public void ipv4MappedRulesAndClients() throws Exception {
        // Java hands an IPv4-mapped client address over as IPv4
        assertTrue(Cidr.parse("127.0.0.0/8").matches(ip("::ffff:127.0.0.5")));
        assertTrue(m("::ffff:10.0.0.0/104", "10.1.2.3"));
        assertEquals("10.0.0.0/8", Cidr.parse("::ffff:10.0.0.0/104").toString());
    }

    @Test
    public void printsShortForms() {
        assertEquals("::1", Cidr.parse("0:0:0:0:0:0:0:1/128").toString());
        assertEquals("fd00::/8", Cidr.parse("fd00:0::/8").toString());
        assertEquals("2001:db8::1:0:0:1", Cidr.parse("2001:db8:0:0:1:0:0:1").toString());
        assertEquals("0.0.0.0/0", Cidr.parse("0.0.0.0/0").toString());
        assertEquals("::/0", Cidr.parse("::/0").toString());
    }

    @Test
    public void refusesBadInput() {
        for (String bad : new String[] {"", "10.0.0.0/33", "::/129", "10.0.0.0/", "10.0.0.0/-1", "10.0.0.0/8/8",
                "10.0.0.256", "10.0.0", "10.0.0.0.0", "localhost", "example.com/24", "10.0.0.1/8", "fe80::1%eth0",
                "1:2:3:4:5:6:7:8:9", "gggg::1", "10.0.0.0/ 8", "::ffff:10.0.0.0/64", "1.2.3.4/x", "*"}) {
            try {
                Cidr.parse(bad);
                fail("accepted " + bad);
            } catch (IllegalArgumentException expected) {
                assertTrue(expected.getMessage(), expected.getMessage().length() > 5);
            }
        }
    }

    @Test
    public void whoPatterns() {
        assertTrue(Who.parse("app").matches("app", "t", "c"));
        assertTrue(Who.parse("app@t").matches("app", "t", "c"));
        assertFalse(Who.parse("app@t").matches("app", "u", "c"));
        assertTrue(Who.parse("*@t#c").matches("x", "t", "c"));
        assertTrue(Who.parse("app*@*#demo").matches("app2", "any", "demo"));
        assertFalse(Who.parse("app*@*#demo").matches("ap", "any", "demo"));
        assertFalse(Who.parse("app").matches("App", "t", "c"));
        assertEquals("app@*#*", Who.parse("app").toString());
    }
}
