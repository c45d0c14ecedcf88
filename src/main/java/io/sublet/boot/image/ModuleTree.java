package io.sublet.boot.image;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import org.tukaani.xz.XZInputStream;

/**
 * The modules of one kernel, as unpacked from its package into a directory ({@code kernel/...ko.xz}), plus the
 * kernel's lists of what is built in ({@code modules.builtin}, {@code modules.builtin.modinfo}). Modules are
 * decompressed and their {@code .modinfo} read only when asked for, since a distribution kernel has thousands.
 */
final class ModuleTree implements ModuleResolver.Source {
    /** The largest module accepted, decompressed (Debian's largest are a few tens of MB). */
    private static final int MAX_MODULE = 256 << 20;
    /** Alias words too common to narrow the search for a module by alias. */
    private static final Set<String> COMMON_WORDS = Set.of("crypto", "fs", "net", "pf", "char", "block", "major",
            "platform", "of", "pci", "usb", "acpi", "generic", "devname");
    private static final int MAX_ALIAS_CANDIDATES = 64;

    private final Path root;
    private final Map<String, String> files;
    private final Set<String> builtin;
    private final Map<String, String> builtinAliases;
    private final Map<String, byte[]> loaded = new HashMap<>();
    private final Map<String, ModInfo> infos = new HashMap<>();

    /**
     * @param root the directory the module files were unpacked into
     * @param files module name ({@code _} spelling) to its path under root, e.g. {@code kernel/fs/ext4/ext4.ko.xz}
     * @param builtinList the content of {@code modules.builtin}, or null
     * @param builtinModinfo the content of {@code modules.builtin.modinfo}, or null
     */
    ModuleTree(final Path root, final Map<String, String> files, final byte[] builtinList,
            final byte[] builtinModinfo) {
        this.root = root;
        this.files = Map.copyOf(files);
        final Set<String> b = new HashSet<>();
        final Map<String, String> aliases = new HashMap<>();
        if (builtinList != null) {
            for (String line : new String(builtinList, StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank()) {
                    b.add(ModInfo.canonical(ModInfo.baseName(line.strip())));
                }
            }
        }
        if (builtinModinfo != null) {
            for (String entry : new String(builtinModinfo, StandardCharsets.UTF_8).split("\0")) {
                final int dot = entry.indexOf('.');
                final int eq = entry.indexOf('=');
                if (dot <= 0 || eq < dot) {
                    continue;
                }
                final String module = ModInfo.canonical(entry.substring(0, dot));
                b.add(module);
                if (entry.substring(dot + 1, eq).equals("alias")) {
                    aliases.putIfAbsent(entry.substring(eq + 1), module);
                }
            }
        }
        this.builtin = Collections.unmodifiableSet(b);
        this.builtinAliases = Collections.unmodifiableMap(aliases);
    }

    /** How many module files the kernel package has. */
    int size() {
        return files.size();
    }

    @Override
    public ModInfo info(final String name) throws ImageException {
        final ModInfo cached = infos.get(name);
        if (cached != null || !files.containsKey(name)) {
            return cached;
        }
        final ModInfo info = ModInfo.of(files.get(name), bytes(name));
        infos.put(name, info);
        return info;
    }

    @Override
    public boolean builtin(final String name) {
        return builtin.contains(name);
    }

    @Override
    public String moduleWithAlias(final String alias) throws ImageException {
        final String b = builtinAliases.get(alias);
        if (b != null) {
            return b;
        }
        // Modules are compressed, so reading every .modinfo would mean decompressing the whole tree. An alias
        // almost always contains the name of the module that provides it (crypto-crc32c: crc32c_generic), so
        // only modules whose names contain one of the alias's distinctive words are opened.
        final List<String> words = new ArrayList<>();
        for (String w : alias.toLowerCase(Locale.ROOT).split("[^a-z0-9]+")) {
            if (w.length() >= 3 && !COMMON_WORDS.contains(w)) {
                words.add(w);
            }
        }
        final List<String> candidates = new ArrayList<>();
        for (String m : new TreeMap<>(files).keySet()) {
            for (String w : words) {
                if (m.contains(w)) {
                    candidates.add(m);
                    break;
                }
            }
        }
        if (candidates.size() > MAX_ALIAS_CANDIDATES) {
            return null;
        }
        for (String m : candidates) {
            if (info(m).aliases().contains(alias)) {
                return m;
            }
        }
        return null;
    }

    /** The uncompressed bytes of module {@code name}. */
    byte[] bytes(final String name) throws ImageException {
        final byte[] cached = loaded.get(name);
        if (cached != null) {
            return cached;
        }
        final String rel = files.get(name);
        if (rel == null) {
            throw new ImageException("no kernel module " + name);
        }
        final Path file = root.resolve(rel);
        try (InputStream raw = Files.newInputStream(file);
             InputStream in = rel.endsWith(".xz") ? new XZInputStream(raw)
                     : rel.endsWith(".gz") ? new GZIPInputStream(raw) : raw) {
            final ByteArrayOutputStream out = new ByteArrayOutputStream();
            final byte[] buf = new byte[1 << 16];
            int r;
            while ((r = in.read(buf)) > 0) {
                out.write(buf, 0, r);
                if (out.size() > MAX_MODULE) {
                    throw new ImageException(rel + ": larger than " + (MAX_MODULE >> 20) + " MiB uncompressed");
                }
            }
            final byte[] bytes = out.toByteArray();
            loaded.put(name, bytes);
            return bytes;
        } catch (IOException e) {
            throw new ImageException(rel + ": cannot decompress: " + e.getMessage(), e);
        }
    }

    /** Where module {@code name} goes under {@code /lib/modules/VERSION/}, uncompressed: {@code kernel/.../x.ko}. */
    String installPath(final String name) {
        final String rel = files.get(name);
        if (rel.endsWith(".xz") || rel.endsWith(".gz")) {
            return rel.substring(0, rel.length() - 3);
        }
        return rel;
    }
}
