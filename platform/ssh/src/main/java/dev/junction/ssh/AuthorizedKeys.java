package dev.junction.ssh;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.sshd.common.config.keys.AuthorizedKeyEntry;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The public keys of an OpenSSH {@code authorized_keys} file, read again when its content changes.
 * Unlike MINA's own authenticator, a line it cannot use (a key type without a provider here, such
 * as Ed25519, or a malformed line) is skipped with a warning instead of disabling the whole file.
 * Lines with options ({@code from=}, {@code command=}, ...) are skipped too: they are not enforced.
 */
final class AuthorizedKeys {

    private static final Logger LOG = LoggerFactory.getLogger(AuthorizedKeys.class);

    private final Path file;
    private byte[] content;
    private List<PublicKey> keys = List.of();
    private boolean missingLogged;

    AuthorizedKeys(Path file) {
        this.file = file;
    }

    Path file() {
        return file;
    }

    synchronized boolean contains(PublicKey key) {
        for (PublicKey k : keys()) {
            if (KeyUtils.compareKeys(k, key)) {
                return true;
            }
        }
        return false;
    }

    /** The usable keys of the file as it is now (empty when it is missing or unreadable). */
    synchronized List<PublicKey> keys() {
        byte[] now;
        try {
            now = Files.readAllBytes(file);
            missingLogged = false;
        } catch (NoSuchFileException e) {
            if (!missingLogged) {
                LOG.warn("SSH shell: {} does not exist: no public-key login", file);
                missingLogged = true;
            }
            content = null;
            keys = List.of();
            return keys;
        } catch (IOException e) {
            LOG.warn("SSH shell: cannot read {}: {}", file, e.toString());
            return keys;
        }
        if (content == null || !Arrays.equals(content, now)) {
            content = now;
            keys = parse(new String(now, StandardCharsets.UTF_8));
            LOG.info("SSH shell: {} key(s) from {}", keys.size(), file);
        }
        return keys;
    }

    private List<PublicKey> parse(String text) {
        List<PublicKey> result = new ArrayList<>();
        int number = 0;
        for (String raw : text.split("\r?\n")) {
            number++;
            String line = raw.trim();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            try {
                AuthorizedKeyEntry entry = AuthorizedKeyEntry.parseAuthorizedKeyEntry(line);
                if (entry == null) {
                    continue;
                }
                if (!entry.getLoginOptions().isEmpty()) {
                    LOG.warn("SSH shell: {} line {}: key options {} are not supported; line ignored", file, number,
                            entry.getLoginOptions().keySet());
                    continue;
                }
                PublicKey key = entry.resolvePublicKey(null, PublicKeyEntryResolver.FAILING);
                if (key != null) {
                    result.add(key);
                }
            } catch (Exception | LinkageError e) {
                String type = line.split("\\s+", 2)[0];
                LOG.warn("SSH shell: {} line {}: key of type '{}' is not usable here ({}); line ignored", file,
                        number, type.length() > 40 ? type.substring(0, 40) + "..." : type, GogoCommand.describe(e));
            }
        }
        return List.copyOf(result);
    }
}
