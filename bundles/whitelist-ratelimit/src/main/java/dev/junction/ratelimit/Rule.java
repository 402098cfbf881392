package dev.junction.ratelimit;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** One whitelist rule, {@code rule.<number> = <who> <address>[,<address>...]}, and its counters. */
final class Rule {

    final int number;
    final String text;
    final Who who;
    final List<Cidr> addresses;
    final AtomicLong allowed = new AtomicLong();
    final AtomicLong rejected = new AtomicLong();

    private Rule(int number, String text, Who who, List<Cidr> addresses) {
        this.number = number;
        this.text = text;
        this.who = who;
        this.addresses = addresses;
    }

    /** Parses the value of {@code rule.<number>}; the exception message names the problem. */
    static Rule parse(int number, String value) {
        String v = value.trim();
        int space = indexOfWhitespace(v);
        if (space < 0) {
            throw new IllegalArgumentException("expected '<user>[@<tenant>[#<cluster>]] <address>[,<address>...]', got '"
                    + value + "'");
        }
        Who who = Who.parse(v.substring(0, space));
        List<Cidr> addresses = new ArrayList<>();
        for (String a : v.substring(space).trim().split("[,\\s]+")) {
            if (!a.isEmpty()) {
                addresses.add(Cidr.parse(a));
            }
        }
        if (addresses.isEmpty()) {
            throw new IllegalArgumentException("no address in '" + value + "'");
        }
        return new Rule(number, v, who, List.copyOf(addresses));
    }

    private static int indexOfWhitespace(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isWhitespace(s.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    boolean appliesTo(String user, String tenant, String cluster) {
        return who.matches(user, tenant, cluster);
    }

    boolean allows(InetAddress address) {
        for (Cidr c : addresses) {
            if (c.matches(address)) {
                return true;
            }
        }
        return false;
    }

    String addressList() {
        StringBuilder sb = new StringBuilder();
        for (Cidr c : addresses) {
            sb.append(sb.length() == 0 ? "" : ",").append(c);
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return "rule." + number + " (" + who + " " + addressList() + ")";
    }
}
