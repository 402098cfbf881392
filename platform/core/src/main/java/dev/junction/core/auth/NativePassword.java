package dev.junction.core.auth;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * mysql_native_password without plain passwords. Junction keeps the server-side hash
 * {@code stage2 = SHA1(SHA1(password))}; a client's token is {@code SHA1(password) XOR SHA1(scramble + stage2)}.
 * Verifying a token recovers {@code stage1 = SHA1(password)}, from which a token for any server's scramble
 * can be computed.
 */
public final class NativePassword {

    public static final String PLUGIN = "mysql_native_password";
    public static final int SCRAMBLE_LENGTH = 20;

    private static final SecureRandom RANDOM = new SecureRandom();

    private NativePassword() {
    }

    /** A fresh 20-byte scramble of printable, non-NUL bytes, as MySQL servers send. */
    public static byte[] newScramble() {
        byte[] s = new byte[SCRAMBLE_LENGTH];
        RANDOM.nextBytes(s);
        for (int i = 0; i < s.length; i++) {
            s[i] = (byte) (33 + ((s[i] & 0xff) % 94));
        }
        return s;
    }

    public static byte[] sha1(byte[]... parts) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-1");
            for (byte[] p : parts) {
                md.update(p);
            }
            return md.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The stored form of a password ({@code SHA1(SHA1(pw))}); an empty password has an empty hash. */
    public static byte[] stage2(String password) {
        if (password.isEmpty()) {
            return new byte[0];
        }
        return sha1(sha1(password.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    /** Parses {@code *<40 hex>} (as in mysql.user / PASSWORD()) or an empty string for no password. */
    public static byte[] parseHash(String text) {
        String s = text.trim();
        if (s.isEmpty()) {
            return new byte[0];
        }
        if (s.startsWith("*")) {
            s = s.substring(1);
        }
        if (s.length() != 40) {
            throw new IllegalArgumentException("expected '*' and 40 hex digits");
        }
        try {
            return HexFormat.of().parseHex(s);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("expected '*' and 40 hex digits");
        }
    }

    public static String formatHash(byte[] stage2) {
        return stage2.length == 0 ? "" : "*" + HexFormat.of().withUpperCase().formatHex(stage2);
    }

    /**
     * Checks a client's token against the stored hash and returns stage1 ({@code SHA1(pw)}), or null when
     * the token is wrong. For an account without password, an empty token gives an empty stage1.
     */
    public static byte[] verify(byte[] stage2, byte[] scramble, byte[] token) {
        if (stage2.length == 0) {
            return token.length == 0 ? new byte[0] : null;
        }
        if (token.length != SCRAMBLE_LENGTH) {
            return null;
        }
        byte[] mask = sha1(scramble, stage2);
        byte[] stage1 = new byte[SCRAMBLE_LENGTH];
        for (int i = 0; i < stage1.length; i++) {
            stage1[i] = (byte) (token[i] ^ mask[i]);
        }
        return MessageDigest.isEqual(sha1(stage1), stage2) ? stage1 : null;
    }

    /** The token to send a server that offered {@code scramble}, from stage1; empty for no password. */
    public static byte[] token(byte[] stage1, byte[] scramble) {
        if (stage1.length == 0) {
            return new byte[0];
        }
        byte[] mask = sha1(scramble, sha1(stage1));
        byte[] t = new byte[SCRAMBLE_LENGTH];
        for (int i = 0; i < t.length; i++) {
            t[i] = (byte) (stage1[i] ^ mask[i]);
        }
        return t;
    }
}
