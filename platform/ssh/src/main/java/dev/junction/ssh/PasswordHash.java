package dev.junction.ssh;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Salted password hashes for the {@code password} key of the SSH configuration:
 * {@code {pbkdf2}iterations:saltBase64:hashBase64}, PBKDF2 with HMAC-SHA256 from the JDK.
 *
 * <p>Run {@code java -cp junction-ssh.jar dev.junction.ssh.PasswordHash} and type the password
 * (or pipe it in on standard input): the hash is printed on standard output. This class depends on
 * nothing but the JDK.
 */
public final class PasswordHash {

    public static final String PREFIX = "{pbkdf2}";
    public static final int DEFAULT_ITERATIONS = 600_000;
    private static final String ALGORITHM = "PBKDF2WithHmacSHA256";
    private static final int SALT_BYTES = 16;
    private static final int HASH_BITS = 256;
    private static final int MAX_ITERATIONS = 100_000_000;

    private final int iterations;
    private final byte[] salt;
    private final byte[] hash;

    private PasswordHash(int iterations, byte[] salt, byte[] hash) {
        this.iterations = iterations;
        this.salt = salt;
        this.hash = hash;
    }

    /** Hashes {@code password} with a fresh random salt and {@link #DEFAULT_ITERATIONS}. */
    public static String hash(char[] password) {
        return hash(password, DEFAULT_ITERATIONS);
    }

    public static String hash(char[] password, int iterations) {
        if (iterations < 1 || iterations > MAX_ITERATIONS) {
            throw new IllegalArgumentException("iterations must be between 1 and " + MAX_ITERATIONS);
        }
        byte[] salt = new byte[SALT_BYTES];
        new SecureRandom().nextBytes(salt);
        byte[] hash = derive(password, salt, iterations, HASH_BITS);
        Base64.Encoder b64 = Base64.getEncoder();
        return PREFIX + iterations + ":" + b64.encodeToString(salt) + ":" + b64.encodeToString(hash);
    }

    /**
     * Parses a stored hash.
     *
     * @throws IllegalArgumentException with a message that never contains the hash itself
     */
    public static PasswordHash parse(String stored) {
        if (stored == null || !stored.startsWith(PREFIX)) {
            throw new IllegalArgumentException("is not a password hash: it must start with " + PREFIX
                    + " (plain-text passwords are not accepted)");
        }
        String[] parts = stored.substring(PREFIX.length()).split(":", -1);
        if (parts.length != 3) {
            throw new IllegalArgumentException("is not of the form " + PREFIX + "iterations:salt:hash");
        }
        int iterations;
        try {
            iterations = Integer.parseInt(parts[0]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("has an iteration count that is not a number");
        }
        if (iterations < 1 || iterations > MAX_ITERATIONS) {
            throw new IllegalArgumentException("has an iteration count outside 1.." + MAX_ITERATIONS);
        }
        byte[] salt;
        byte[] hash;
        try {
            salt = Base64.getDecoder().decode(parts[1]);
            hash = Base64.getDecoder().decode(parts[2]);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("has a salt or hash that is not valid Base64");
        }
        if (salt.length < 8 || hash.length < 16) {
            throw new IllegalArgumentException("has a salt or hash that is too short");
        }
        return new PasswordHash(iterations, salt, hash);
    }

    /** Compares in constant time with respect to the stored hash. */
    public boolean matches(String password) {
        if (password == null) {
            return false;
        }
        char[] chars = password.toCharArray();
        try {
            return MessageDigest.isEqual(hash, derive(chars, salt, iterations, hash.length * 8));
        } finally {
            Arrays.fill(chars, '\0');
        }
    }

    private static byte[] derive(char[] password, byte[] salt, int iterations, int bits) {
        PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, bits);
        try {
            return SecretKeyFactory.getInstance(ALGORITHM).generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(ALGORITHM + " is not available in this JDK", e);
        } finally {
            spec.clearPassword();
        }
    }

    /** Reads a password (console without echo, else one line of standard input) and prints its hash. */
    public static void main(String[] args) throws IOException {
        int iterations = DEFAULT_ITERATIONS;
        if (args.length == 2 && args[0].equals("--iterations")) {
            iterations = Integer.parseInt(args[1]);
        } else if (args.length != 0) {
            System.err.println("usage: PasswordHash [--iterations N]  (password on standard input)");
            System.exit(2);
        }
        char[] password;
        Console console = System.console();
        if (console != null) {
            password = console.readPassword("Password: ");
            char[] again = console.readPassword("Again: ");
            if (password == null || again == null || !Arrays.equals(password, again)) {
                System.err.println("The passwords do not match.");
                System.exit(1);
            }
        } else {
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line = in.readLine();
            password = line == null ? null : line.toCharArray();
        }
        if (password == null || password.length == 0) {
            System.err.println("No password given.");
            System.exit(1);
        }
        System.out.println(hash(password, iterations));
        Arrays.fill(password, '\0');
    }
}
