package io.sublet.boot.image;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What a Linux kernel module says about itself in its {@code .modinfo} section: NUL-separated {@code key=value}
 * strings, among them {@code name=}, {@code depends=} (modules that must be loaded first, comma-separated),
 * {@code softdep=} ({@code pre: a b post: c}, loaded by modprobe around it), {@code alias=} and {@code vermagic=}.
 * Module names use {@code -} and {@code _} interchangeably; this class hands them out with {@code _}.
 */
record ModInfo(String name, List<String> depends, List<String> softPre, List<String> softPost, List<String> aliases,
        String vermagic) {
    private static final int EM_RISCV = 243;

    /** Reads the {@code .modinfo} of the (uncompressed) module {@code ko}; {@code file} names it in messages. */
    static ModInfo of(final String file, final byte[] ko) throws ImageException {
        final ElfSections elf = ElfSections.parse(file, ko);
        if (elf.type() != ElfSections.ET_REL) {
            throw new ImageException(file + ": ELF type " + elf.type() + ", not a relocatable kernel module");
        }
        if (elf.machine() != EM_RISCV) {
            throw new ImageException(file + ": a module for ELF machine " + elf.machine() + ", not RISC-V");
        }
        final ElfSections.Section s = elf.find(".modinfo").orElseThrow(() -> new ImageException(file
                + ": no .modinfo section, not a kernel module"));
        return parse(file, elf.bytes(s));
    }

    /** Parses the raw bytes of a {@code .modinfo} section. */
    static ModInfo parse(final String file, final byte[] section) throws ImageException {
        String name = null;
        String vermagic = null;
        final List<String> depends = new ArrayList<>();
        final List<String> pre = new ArrayList<>();
        final List<String> post = new ArrayList<>();
        final List<String> aliases = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= section.length; i++) {
            if (i < section.length && section[i] != 0) {
                continue;
            }
            if (i > start) {
                final String entry = new String(section, start, i - start, StandardCharsets.UTF_8);
                final int eq = entry.indexOf('=');
                if (eq > 0) {
                    final String key = entry.substring(0, eq);
                    final String value = entry.substring(eq + 1);
                    switch (key) {
                        case "name":
                            name = canonical(value);
                            break;
                        case "vermagic":
                            vermagic = value;
                            break;
                        case "depends":
                            for (String d : value.split(",")) {
                                if (!d.isBlank()) {
                                    depends.add(canonical(d.strip()));
                                }
                            }
                            break;
                        case "softdep":
                            parseSoftdep(value, pre, post);
                            break;
                        case "alias":
                            aliases.add(value);
                            break;
                        default:
                            break;
                    }
                }
            }
            start = i + 1;
        }
        if (name == null) {
            name = canonical(baseName(file));
        }
        return new ModInfo(name, Collections.unmodifiableList(depends), Collections.unmodifiableList(pre),
                Collections.unmodifiableList(post), Collections.unmodifiableList(aliases), vermagic);
    }

    private static void parseSoftdep(final String value, final List<String> pre, final List<String> post) {
        List<String> into = null;
        for (String tok : value.trim().split("\\s+")) {
            if (tok.equals("pre:")) {
                into = pre;
            } else if (tok.equals("post:")) {
                into = post;
            } else if (into != null && !tok.isEmpty()) {
                into.add(tok); // may be an alias, so not canonicalised here
            }
        }
    }

    /** A module name with {@code -} spelled {@code _}, as the kernel does. */
    static String canonical(final String name) {
        return name.replace('-', '_');
    }

    /** The module name of a file name: {@code .../virtio-rng.ko.xz} is {@code virtio-rng}. */
    static String baseName(final String path) {
        String n = path.substring(path.lastIndexOf('/') + 1);
        for (String ext : new String[] {".xz", ".gz", ".zst"}) {
            if (n.endsWith(ext)) {
                n = n.substring(0, n.length() - ext.length());
            }
        }
        if (n.endsWith(".ko")) {
            n = n.substring(0, n.length() - 3);
        }
        return n;
    }
}
