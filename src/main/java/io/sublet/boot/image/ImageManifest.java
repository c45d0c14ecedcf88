package io.sublet.boot.image;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * {@code manifest.properties} of a built image: what it was built from (the packages with their SHA-256, the
 * mirror, the release date and signers), by which version of the recipe, and the SHA-256 and size of every file
 * in the image, so that a cached image can be checked without the network. Written last, so an image directory
 * without a readable manifest is never taken for complete.
 *
 * <pre>
 *  format=1                      recipe=1                 image=debian-trixie
 *  kernel.version=6.12.107+deb13-riscv64                  created=2026-11-21T23:59:59Z
 *  mirror=...   release.date=...   release.signers=FPR "uid";FPR "uid"
 *  deb.N.{package,version,architecture,filename,size,sha256}
 *  file.NAME.{size,sha256}       modules=a,b,c            builtin=x,y
 * </pre>
 */
record ImageManifest(int recipe, String image, String kernelVersion, String created, String mirror,
        String releaseDate, List<String> signers, List<PackageEntry> debs, Map<String, Sha256.Sum> files,
        List<String> modules, List<String> builtin) {
    static final String FILE = "manifest.properties";
    private static final int FORMAT = 1;

    /** Writes the manifest into {@code dir} atomically (a temporary file, then a rename). */
    void write(final Path dir) throws IOException {
        final Properties p = new Properties();
        p.setProperty("format", Integer.toString(FORMAT));
        p.setProperty("recipe", Integer.toString(recipe));
        p.setProperty("image", image);
        p.setProperty("kernel.version", kernelVersion);
        p.setProperty("created", created);
        p.setProperty("mirror", mirror);
        p.setProperty("release.date", releaseDate);
        p.setProperty("release.signers", String.join(";", signers));
        for (int i = 0; i < debs.size(); i++) {
            final PackageEntry d = debs.get(i);
            p.setProperty("deb." + i + ".package", d.name());
            p.setProperty("deb." + i + ".version", d.version());
            p.setProperty("deb." + i + ".architecture", d.architecture());
            p.setProperty("deb." + i + ".filename", d.filename());
            p.setProperty("deb." + i + ".size", Long.toString(d.size()));
            p.setProperty("deb." + i + ".sha256", d.sha256());
        }
        for (Map.Entry<String, Sha256.Sum> f : files.entrySet()) {
            p.setProperty("file." + f.getKey() + ".size", Long.toString(f.getValue().size()));
            p.setProperty("file." + f.getKey() + ".sha256", f.getValue().sha256());
        }
        p.setProperty("modules", String.join(",", modules));
        p.setProperty("builtin", String.join(",", builtin));
        final StringWriter w = new StringWriter();
        p.store(w, null);
        // Properties writes a date comment and hash order; keep the file stable and readable instead.
        final String body = Arrays.stream(w.toString().split("\n")).filter(l -> !l.startsWith("#")).sorted()
                .collect(Collectors.joining("\n", "# Sublet image manifest\n", "\n"));
        final Path tmp = Files.createTempFile(dir, "." + FILE + ".", ".tmp");
        try {
            Files.writeString(tmp, body, StandardCharsets.ISO_8859_1);
            Files.move(tmp, dir.resolve(FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Reads the manifest in {@code dir}. */
    static ImageManifest read(final Path dir) throws ImageException {
        final Path file = dir.resolve(FILE);
        final Properties p = new Properties();
        try (Reader r = new StringReader(Files.readString(file, StandardCharsets.ISO_8859_1))) {
            p.load(r);
        } catch (NoSuchFileException e) {
            throw new ImageException(file + ": missing; the image is incomplete");
        } catch (IOException | IllegalArgumentException e) {
            throw new ImageException(file + ": unreadable: " + e.getMessage());
        }
        try {
            if (Integer.parseInt(p.getProperty("format", "0")) != FORMAT) {
                throw new ImageException(file + ": format " + p.getProperty("format") + ", expected " + FORMAT);
            }
            final List<PackageEntry> debs = new ArrayList<>();
            for (int i = 0; p.getProperty("deb." + i + ".package") != null; i++) {
                final String k = "deb." + i + ".";
                debs.add(new PackageEntry(p.getProperty(k + "package"), need(p, k + "version"),
                        p.getProperty(k + "architecture", ""), need(p, k + "filename"),
                        Long.parseLong(need(p, k + "size")), need(p, k + "sha256"), ""));
            }
            final Map<String, Sha256.Sum> files = new LinkedHashMap<>();
            for (String key : p.stringPropertyNames().stream().sorted().collect(Collectors.toList())) {
                if (key.startsWith("file.") && key.endsWith(".sha256")) {
                    final String name = key.substring(5, key.length() - 7);
                    if (name.isEmpty() || name.contains("/") || name.contains("\\") || name.startsWith(".")) {
                        throw new ImageException(file + ": bad file name " + name);
                    }
                    final long size = Long.parseLong(need(p, "file." + name + ".size"));
                    files.put(name, new Sha256.Sum(p.getProperty(key), size));
                }
            }
            return new ImageManifest(Integer.parseInt(need(p, "recipe")), need(p, "image"), need(p, "kernel.version"),
                    p.getProperty("created", ""), p.getProperty("mirror", ""), p.getProperty("release.date", ""),
                    split(p.getProperty("release.signers", ""), ";"), Collections.unmodifiableList(debs),
                    Collections.unmodifiableMap(files), split(p.getProperty("modules", ""), ","),
                    split(p.getProperty("builtin", ""), ","));
        } catch (NumberFormatException e) {
            throw new ImageException(file + ": malformed number: " + e.getMessage());
        } catch (IllegalStateException e) {
            throw new ImageException(file + ": " + e.getMessage());
        }
    }

    /**
     * Checks every file the manifest lists against its size and SHA-256; returns null if all match, else a
     * one-line description of the first problem.
     */
    String verify(final Path dir) {
        if (files.isEmpty()) {
            return "the manifest lists no files";
        }
        for (Map.Entry<String, Sha256.Sum> f : files.entrySet()) {
            final Path file = dir.resolve(f.getKey());
            try {
                if (!Files.isRegularFile(file)) {
                    return file + ": missing";
                }
                if (Files.size(file) != f.getValue().size()) {
                    return file + ": " + Files.size(file) + " bytes, the manifest says " + f.getValue().size();
                }
                final Sha256.Sum actual = Sha256.ofFile(file);
                if (!actual.sha256().equals(f.getValue().sha256())) {
                    return file + ": SHA-256 " + actual.sha256() + " differs from the manifest's "
                            + f.getValue().sha256();
                }
            } catch (IOException e) {
                return file + ": cannot read: " + e.getMessage();
            }
        }
        return null;
    }

    private static String need(final Properties p, final String key) {
        final String v = p.getProperty(key);
        if (v == null || v.isEmpty()) {
            throw new IllegalStateException("no " + key);
        }
        return v;
    }

    private static List<String> split(final String s, final String sep) {
        return s.isEmpty() ? List.of() : List.of(s.split(sep));
    }
}
