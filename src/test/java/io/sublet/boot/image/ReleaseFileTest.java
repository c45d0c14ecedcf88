package io.sublet.boot.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class ReleaseFileTest {
    private static final String SHA = "0f29f58fb195d4e44daefa1a416ea34d1fd5f4908f54968286ad115384372298";
    private static final String TEXT = "Origin: Debian\nSuite: stable\nCodename: trixie\n"
            + "Date: Sat, 12 Sep 2026 07:55:41 UTC\nAcquire-By-Hash: yes\nMD5Sum:\n 8138a9e4068fe7d90641a59fee5fac7f "
            + "54322586 main/binary-riscv64/Packages\nSHA256:\n " + SHA + " 54322586 main/binary-riscv64/Packages\n "
            + "1b0d89902b0bde1d8cacb392e3c9b73511abc12b291511c3a9dcd28ad0fa3582  9385284"
            + " main/binary-riscv64/Packages.xz\n";

    @Test
    void sha256ListFieldsAndByHash() throws ImageException {
        final ReleaseFile r = ReleaseFile.parse("InRelease", TEXT);
        assertEquals(new ReleaseFile.Checksum(SHA, 54322586), r.checksum("main/binary-riscv64/Packages").orElseThrow());
        assertEquals(9385284, r.checksum("main/binary-riscv64/Packages.xz").orElseThrow().size());
        assertFalse(r.checksum("main/binary-amd64/Packages.xz").isPresent());
        assertEquals("trixie", r.field("codename").orElseThrow());
        assertTrue(r.byHash());
        r.check("trixie", Instant.parse("2026-11-22T00:00:00Z"));
        r.check("stable", Instant.parse("2026-11-22T00:00:00Z"));
    }

    @Test
    void anotherSuiteOrAnExpiredFileIsRefused() throws ImageException {
        final ReleaseFile r = ReleaseFile.parse("InRelease", TEXT);
        ImageException e = assertThrows(ImageException.class, () -> r.check("forky", Instant.now()));
        assertTrue(e.getMessage().contains("not forky"), e.getMessage());
        final ReleaseFile old = ReleaseFile.parse("InRelease", TEXT.replace("Acquire-By-Hash: yes\n",
                "Valid-Until: Sat, 19 Sep 2026 07:55:41 UTC\n"));
        old.check("trixie", Instant.parse("2026-09-18T00:00:00Z"));
        e = assertThrows(ImageException.class, () -> old.check("trixie", Instant.parse("2026-09-20T00:00:00Z")));
        assertTrue(e.getMessage().contains("expired"), e.getMessage());
        assertFalse(old.byHash());
    }

    @Test
    void malformedListsAreRefused() {
        assertThrows(ImageException.class, () -> ReleaseFile.parse("R", "Codename: trixie\n"));
        ImageException e = assertThrows(ImageException.class,
                () -> ReleaseFile.parse("R", "SHA256:\n nothex 12 main/x\n"));
        assertTrue(e.getMessage().startsWith("R: malformed SHA256 line"), e.getMessage());
        e = assertThrows(ImageException.class, () -> ReleaseFile.parse("R", "SHA256:\n " + SHA + " big main/x\n"));
        assertTrue(e.getMessage().contains("malformed size"), e.getMessage());
    }
}
