package io.foldin.serve.http;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AdminTokenTest {
    @TempDir
    Path dir;

    @Test
    void aConfiguredTokenIsUsedAsIsAndNoFileIsWritten() throws Exception {
        AdminToken t = AdminToken.resolve("s3cret", dir);
        assertNull(t.file());
        assertFalse(Files.exists(dir.resolve(AdminToken.FILE)));
        assertTrue(t.matches("Bearer s3cret"));
        assertTrue(t.matches("bearer s3cret"));
        assertFalse(t.matches("Bearer s3cre"));
        assertFalse(t.matches("Bearer s3crett"));
        assertFalse(t.matches("s3cret"));
        assertFalse(t.matches("Basic s3cret"));
        assertFalse(t.matches(null));
        assertFalse(t.toString().contains("s3cret"));
    }

    @Test
    void withoutOneARandomTokenIsWrittenOwnerOnlyAndRenewedAtEachStart() throws Exception {
        AdminToken a = AdminToken.resolve("", dir.resolve("state"));
        Path file = dir.resolve("state").resolve(AdminToken.FILE);
        assertEquals(file, a.file());
        assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
                Files.getPosixFilePermissions(file));
        String first = Files.readString(file).trim();
        assertTrue(first.length() >= 40, first.length() + " characters");
        assertTrue(a.matches("Bearer " + first));
        assertFalse(a.toString().contains(first));
        AdminToken b = AdminToken.resolve(null, dir.resolve("state"));
        String second = Files.readString(file).trim();
        assertNotEquals(first, second);
        assertTrue(b.matches("Bearer " + second));
        assertFalse(b.matches("Bearer " + first));
    }
}
