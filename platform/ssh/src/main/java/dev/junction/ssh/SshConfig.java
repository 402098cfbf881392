package dev.junction.ssh;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The validated settings of the SSH shell, read from {@value #FILE}. Never prints the password hash.
 */
public final class SshConfig {

    public static final String FILE = "etc/dev.junction.ssh.cfg";
    public static final String HOME_VARIABLE = "${junction.home}";

    public static final String HOST = "host";
    public static final String PORT = "port";
    public static final String USER = "user";
    public static final String PASSWORD = "password";
    public static final String AUTHORIZED_KEYS = "authorized_keys";
    public static final String HOST_KEY = "host_key";

    static final String DEFAULT_HOST = "127.0.0.1";
    static final int DEFAULT_PORT = 8101;
    static final String DEFAULT_USER = "admin";
    static final String DEFAULT_AUTHORIZED_KEYS = HOME_VARIABLE + "/etc/authorized_keys";
    static final String DEFAULT_HOST_KEY = HOME_VARIABLE + "/data/ssh/host.key";

    private final String host;
    private final int port;
    private final String user;
    private final PasswordHash password;
    private final Path authorizedKeys;
    private final Path hostKey;

    SshConfig(String host, int port, String user, PasswordHash password, Path authorizedKeys, Path hostKey) {
        this.host = host;
        this.port = port;
        this.user = user;
        this.password = password;
        this.authorizedKeys = authorizedKeys;
        this.hostKey = hostKey;
    }

    /** A configuration problem: names the file, the key and what is wrong, never a secret. */
    public static final class Invalid extends Exception {
        private static final long serialVersionUID = 1L;
        private final List<String> problems;

        Invalid(List<String> problems) {
            super(String.join("; ", problems));
            this.problems = List.copyOf(problems);
        }

        /** One line per problem, each naming the file and the key. */
        public List<String> problems() {
            return problems;
        }
    }

    /**
     * Validates the whole configuration. Missing or blank keys take their defaults, except
     * {@code password}, which when missing or blank disables password login.
     *
     * @param props the configuration properties (values are usually strings)
     * @param home  the Junction home folder: replaces {@code ${junction.home}}; relative paths resolve against it
     */
    public static SshConfig parse(Map<String, ?> props, Path home) throws Invalid {
        List<String> problems = new ArrayList<>();

        String host = string(props, HOST, DEFAULT_HOST);
        if (host.chars().anyMatch(Character::isWhitespace)) {
            problems.add(problem(HOST, "'" + host + "' must not contain spaces"));
        }

        int port = DEFAULT_PORT;
        String portText = string(props, PORT, null);
        if (portText != null) {
            try {
                port = Integer.parseInt(portText);
                if (port < 1 || port > 65535) {
                    problems.add(problem(PORT, "'" + portText + "' is not between 1 and 65535"));
                }
            } catch (NumberFormatException e) {
                problems.add(problem(PORT, "'" + portText + "' is not a number (expected 1-65535)"));
            }
        }

        String user = string(props, USER, DEFAULT_USER);
        if (!user.matches("[A-Za-z0-9._-]+")) {
            problems.add(problem(USER, "'" + user + "' is not a valid user name (letters, digits, '.', '_', '-')"));
        }

        PasswordHash password = null;
        String passwordText = string(props, PASSWORD, null);
        if (passwordText != null) {
            try {
                password = PasswordHash.parse(passwordText);
            } catch (IllegalArgumentException e) {
                problems.add(problem(PASSWORD, "the value " + e.getMessage()
                        + "; create one with dev.junction.ssh.PasswordHash, or leave it empty to disable password login"));
            }
        }

        Path authorizedKeys = path(props, AUTHORIZED_KEYS, DEFAULT_AUTHORIZED_KEYS, home, problems);
        Path hostKey = path(props, HOST_KEY, DEFAULT_HOST_KEY, home, problems);

        if (!problems.isEmpty()) {
            throw new Invalid(problems);
        }
        return new SshConfig(host, port, user, password, authorizedKeys, hostKey);
    }

    private static String problem(String key, String what) {
        return "invalid " + FILE + ": " + key + ": " + what;
    }

    private static String string(Map<String, ?> props, String key, String fallback) {
        Object value = props.get(key);
        if (value == null) {
            return fallback;
        }
        String text = value.toString().trim();
        return text.isEmpty() ? fallback : text;
    }

    private static Path path(Map<String, ?> props, String key, String fallback, Path home, List<String> problems) {
        String text = string(props, key, fallback);
        String expanded = text.replace(HOME_VARIABLE, home.toString());
        if (expanded.contains("${")) {
            problems.add(problem(key, "'" + text + "' contains an unknown ${...} variable"));
            return null;
        }
        try {
            return home.resolve(expanded).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            problems.add(problem(key, "'" + text + "' is not a valid path"));
            return null;
        }
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    public String user() {
        return user;
    }

    /** The password hash, or {@code null} when password login is disabled. */
    PasswordHash password() {
        return password;
    }

    public boolean passwordLogin() {
        return password != null;
    }

    public Path authorizedKeys() {
        return authorizedKeys;
    }

    public Path hostKey() {
        return hostKey;
    }

    /** A copy listening on another port ({@code 0}: any free port; for tests). */
    SshConfig withPort(int newPort) {
        return new SshConfig(host, newPort, user, password, authorizedKeys, hostKey);
    }

    /** Whether going from this configuration to {@code next} needs a new listener. */
    boolean needsRestart(SshConfig next) {
        return !host.equals(next.host) || port != next.port || !Objects.equals(hostKey, next.hostKey);
    }

    /** Without the password hash. */
    @Override
    public String toString() {
        return "host=" + host + ", port=" + port + ", user=" + user + ", password login "
                + (password == null ? "disabled" : "enabled") + ", authorized_keys=" + authorizedKeys
                + ", host_key=" + hostKey;
    }
}
