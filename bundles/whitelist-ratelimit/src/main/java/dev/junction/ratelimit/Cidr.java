package dev.junction.ratelimit;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An IPv4 or IPv6 address or network: {@code 10.0.0.0/8}, {@code 127.0.0.1} (= /32), {@code ::1} (= /128),
 * {@code fd00::/8}, {@code 0.0.0.0/0} (every IPv4 address), {@code ::/0} (every IPv6 address). Literals only:
 * no host names (no DNS lookup ever happens), no zone ids. Bits after the prefix must be zero, so a typo such
 * as {@code 10.1.2.3/8} is refused rather than silently widened. IPv4 clients arriving as IPv4-mapped IPv6
 * addresses match IPv4 rules (Java hands them over as IPv4).
 */
final class Cidr {

    private final byte[] network;
    private final int prefix;

    private Cidr(byte[] network, int prefix) {
        this.network = network;
        this.prefix = prefix;
    }

    /** Parses one address or CIDR; the exception message names the problem. */
    static Cidr parse(String text) {
        String s = text.trim();
        if (s.isEmpty()) {
            throw new IllegalArgumentException("empty address");
        }
        int slash = s.indexOf('/');
        String addr = slash < 0 ? s : s.substring(0, slash);
        byte[] bytes;
        boolean mapped = false;
        if (addr.indexOf(':') >= 0) {
            bytes = ipv6(addr, text);
            if (bytes.length == 4) {
                mapped = true;
            }
        } else {
            bytes = ipv4(addr, text);
        }
        int bits = bytes.length * 8;
        int prefix = bits;
        if (slash >= 0) {
            String p = s.substring(slash + 1);
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit)) {
                throw new IllegalArgumentException("bad prefix length in '" + text + "'");
            }
            prefix = Integer.parseInt(p);
            if (mapped) {
                if (prefix < 96 || prefix > 128) {
                    throw new IllegalArgumentException("prefix length of an IPv4-mapped address must be 96..128 in '"
                            + text + "'");
                }
                prefix -= 96;
            } else if (prefix > bits) {
                throw new IllegalArgumentException("prefix length above " + bits + " in '" + text + "'");
            }
        }
        for (int i = 0; i < bits; i++) {
            if (i >= prefix && bit(bytes, i)) {
                throw new IllegalArgumentException("bits set after the /" + prefix + " prefix in '" + text + "'");
            }
        }
        return new Cidr(bytes, prefix);
    }

    private static byte[] ipv4(String addr, String text) {
        String[] parts = addr.split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("not an IPv4 or IPv6 address: '" + text + "'");
        }
        byte[] b = new byte[4];
        for (int i = 0; i < 4; i++) {
            String p = parts[i];
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw new IllegalArgumentException("not an IPv4 or IPv6 address: '" + text + "'");
            }
            int v = Integer.parseInt(p);
            if (v > 255) {
                throw new IllegalArgumentException("IPv4 part above 255 in '" + text + "'");
            }
            b[i] = (byte) v;
        }
        return b;
    }

    private static byte[] ipv6(String addr, String text) {
        // only hex digits, ':' and '.' (an embedded IPv4 tail): a literal, never a host name to resolve
        for (int i = 0; i < addr.length(); i++) {
            char c = addr.charAt(i);
            if (!(c == ':' || c == '.' || Character.digit(c, 16) >= 0)) {
                throw new IllegalArgumentException("not an IPv6 address: '" + text + "'");
            }
        }
        try {
            return InetAddress.getByName(addr).getAddress();
        } catch (UnknownHostException | RuntimeException e) {
            throw new IllegalArgumentException("not an IPv6 address: '" + text + "'");
        }
    }

    private static boolean bit(byte[] b, int i) {
        return (b[i >> 3] & (0x80 >>> (i & 7))) != 0;
    }

    boolean matches(InetAddress address) {
        byte[] a = address.getAddress();
        if (a.length != network.length) {
            return false;
        }
        int full = prefix >> 3;
        for (int i = 0; i < full; i++) {
            if (a[i] != network[i]) {
                return false;
            }
        }
        int rest = prefix & 7;
        if (rest == 0) {
            return true;
        }
        int mask = (0xff << (8 - rest)) & 0xff;
        return (a[full] & mask) == (network[full] & mask);
    }

    boolean ipv4() {
        return network.length == 4;
    }

    @Override
    public String toString() {
        try {
            String a = display(InetAddress.getByAddress(network));
            boolean host = prefix == network.length * 8;
            return host ? a : a + "/" + prefix;
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The address as the whitelist prints it: IPv6 in its short form ({@code ::1}, {@code fd00::5}). */
    static String display(InetAddress a) {
        byte[] b = a.getAddress();
        if (b.length == 4) {
            return a.getHostAddress();
        }
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) {
            g[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(g[i]));
        }
        return sb.toString();
    }
}
