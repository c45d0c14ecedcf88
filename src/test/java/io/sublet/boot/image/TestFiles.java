package io.sublet.boot.image;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.ar.ArArchiveEntry;
import org.apache.commons.compress.archivers.ar.ArArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

/** Small synthetic stand-ins for Debian's files: kernel modules, a kernel, busybox, .deb packages. */
final class TestFiles {
    static final int EM_RISCV = 243;

    private TestFiles() {
    }

    /**
     * A minimal ELF64 relocatable object ({@code ET_REL}) for machine {@code machine} with one {@code .modinfo}
     * section holding the given {@code key=value} strings, as a kernel module has.
     */
    static byte[] module(final int machine, final String... modinfo) {
        final ByteArrayOutputStream info = new ByteArrayOutputStream();
        for (String s : modinfo) {
            info.writeBytes(s.getBytes(StandardCharsets.UTF_8));
            info.write(0);
        }
        final byte[] shstrtab = "\0.modinfo\0.shstrtab\0.bss\0".getBytes(StandardCharsets.US_ASCII);
        final int infoOff = 64;
        final int strOff = infoOff + info.size();
        final int shoff = (strOff + shstrtab.length + 7) & ~7;
        final int shnum = 4;
        final ByteBuffer b = ByteBuffer.allocate(shoff + shnum * 64).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1, 0});
        b.putShort(16, (short) 1).putShort(18, (short) machine).putInt(20, 1).putLong(40, shoff)
                .putShort(52, (short) 64).putShort(58, (short) 64).putShort(60, (short) shnum).putShort(62, (short) 2);
        b.put(infoOff, info.toByteArray());
        b.put(strOff, shstrtab);
        section(b, shoff + 64, 1, 1, 2, infoOff, info.size());       // .modinfo: PROGBITS, ALLOC
        section(b, shoff + 128, 10, 3, 0, strOff, shstrtab.length);  // .shstrtab: STRTAB
        section(b, shoff + 192, 20, 8, 3, 0, 4096);                  // .bss: NOBITS, no file data
        return b.array();
    }

    private static void section(final ByteBuffer b, final int at, final int name, final int type, final long flags,
            final long offset, final long size) {
        b.putInt(at, name).putInt(at + 4, type).putLong(at + 8, flags).putLong(at + 24, offset).putLong(at + 32, size)
                .putLong(at + 48, 1);
    }

    /** A RISC-V kernel module with {@code name=}, {@code depends=}, a vermagic for {@code kernel}, and extras. */
    static byte[] riscvModule(final String kernel, final String name, final String depends, final String... extra) {
        final List<String> info = new ArrayList<>(List.of(extra));
        info.add("depends=" + depends);
        info.add("intree=Y");
        info.add("name=" + name);
        info.add("vermagic=" + kernel + " SMP mod_unload modversions riscv");
        return module(EM_RISCV, info.toArray(new String[0]));
    }

    /** A stand-in for a RISC-V Linux Image: MZ, the "RISCV" and "RSC\x05" magics in the header, then filler. */
    static byte[] kernelImage(final int size) {
        final byte[] k = new byte[size];
        k[0] = 'M';
        k[1] = 'Z';
        System.arraycopy("RISCV\0\0\0RSC\u0005".getBytes(StandardCharsets.ISO_8859_1), 0, k, 48, 12);
        for (int i = 64; i < size; i++) {
            k[i] = (byte) (i * 31);
        }
        return k;
    }

    /** A stand-in for a static RISC-V executable: an ELF64 header with machine RISC-V and no sections. */
    static byte[] riscvExecutable(final int size) {
        final ByteBuffer b = ByteBuffer.allocate(Math.max(64, size)).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1, 0});
        b.putShort(16, (short) 2).putShort(18, (short) EM_RISCV).putInt(20, 1);
        return b.array();
    }

    static byte[] xz(final byte[] data) {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (XZOutputStream x = new XZOutputStream(out, new LZMA2Options(1))) {
            x.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** One data.tar entry: a regular file (data), a symlink (linkTarget), or a directory (neither). */
    record Entry(String name, byte[] data, String linkTarget) {
        static Entry file(final String name, final byte[] data) {
            return new Entry(name, data, null);
        }

        static Entry symlink(final String name, final String target) {
            return new Entry(name, null, target);
        }

        static Entry dir(final String name) {
            return new Entry(name, null, null);
        }
    }

    /** A tar archive of the entries, names as given (so a test can put {@code ../} in one). */
    static byte[] tar(final List<Entry> entries) {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TarArchiveOutputStream t = new TarArchiveOutputStream(out)) {
            t.setLongFileMode(TarArchiveOutputStream.LONGFILE_GNU);
            for (Entry e : entries) {
                final TarArchiveEntry h;
                if (e.linkTarget() != null) {
                    h = new TarArchiveEntry(e.name(), TarConstants.LF_SYMLINK, true);
                    h.setLinkName(e.linkTarget());
                } else if (e.data() == null) {
                    h = new TarArchiveEntry(e.name().endsWith("/") ? e.name() : e.name() + "/", true);
                } else {
                    h = new TarArchiveEntry(e.name(), true);
                    h.setSize(e.data().length);
                    h.setMode(0100644);
                }
                h.setModTime(1_700_000_000_000L);
                t.putArchiveEntry(h);
                if (e.data() != null) {
                    t.write(e.data());
                }
                t.closeArchiveEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A .deb: debian-binary, an (almost empty) control.tar.xz, and data.tar.xz of the entries. */
    static byte[] deb(final List<Entry> data) {
        final Map<String, byte[]> members = new LinkedHashMap<>();
        members.put("debian-binary", "2.0\n".getBytes(StandardCharsets.US_ASCII));
        members.put("control.tar.xz", xz(tar(List.of(Entry.file("./control",
                "Package: test\n".getBytes(StandardCharsets.US_ASCII))))));
        members.put("data.tar.xz", xz(tar(data)));
        return ar(members);
    }

    static byte[] ar(final Map<String, byte[]> members) {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ArArchiveOutputStream a = new ArArchiveOutputStream(out)) {
            for (Map.Entry<String, byte[]> m : members.entrySet()) {
                a.putArchiveEntry(new ArArchiveEntry(m.getKey(), m.getValue().length));
                a.write(m.getValue());
                a.closeArchiveEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
