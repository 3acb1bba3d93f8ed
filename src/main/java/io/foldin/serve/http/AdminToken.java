package io.foldin.serve.http;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The bearer token of the admin routes ({@code admin.token}, env {@code FOLDIN_ADMIN_TOKEN}). When none
 * is configured a random one is generated at start and written, readable by the owner only, to
 * {@code admin.token} in the state directory, whose path (never the token) is logged: admin works out
 * of the box and is never open. Compared in constant time.
 */
public final class AdminToken {
    private static final Logger LOG = LoggerFactory.getLogger(AdminToken.class);
    static final String FILE = "admin.token";
    private static final String BEARER = "Bearer ";

    private final byte[] token;
    private final Path file;

    private AdminToken(String token, Path file) {
        this.token = token.getBytes(StandardCharsets.UTF_8);
        this.file = file;
    }

    /** The configured token, or (blank) a new random one written to {@code stateDir/admin.token}. */
    public static AdminToken resolve(String configured, Path stateDir) throws IOException {
        if (configured != null && !configured.isBlank()) {
            return new AdminToken(configured.trim(), null);
        }
        byte[] raw = new byte[32];
        new SecureRandom().nextBytes(raw);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        Files.createDirectories(stateDir);
        Path file = stateDir.resolve(FILE);
        Files.deleteIfExists(file);
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            // Created owner-only, so the token is never readable by others, not even for a moment.
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } else {
            Files.createFile(file);
            file.toFile().setReadable(false, false);
            file.toFile().setReadable(true, true);
            file.toFile().setWritable(false, false);
            file.toFile().setWritable(true, true);
        }
        Files.writeString(file, token + "\n", StandardOpenOption.TRUNCATE_EXISTING);
        LOG.info("admin.token not set: generated one for the admin routes, in {} (owner-only)", file);
        return new AdminToken(token, file);
    }

    /** Where the generated token was written, or null when it was configured. */
    public Path file() {
        return file;
    }

    /** Whether an {@code Authorization} header value is {@code Bearer <this token>}; constant time in the token. */
    boolean matches(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return false;
        }
        byte[] given = authorization.substring(BEARER.length()).trim().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(token, given);
    }

    @Override
    public String toString() {
        return file == null ? "AdminToken[configured]" : "AdminToken[" + file + "]";
    }
}
