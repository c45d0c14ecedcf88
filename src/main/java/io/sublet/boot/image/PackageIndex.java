package io.sublet.boot.image;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The entries of a Packages index that a caller asked for. The index of a whole architecture is ~50 MB of text and
 * ~70,000 packages, so it is read as a stream and only paragraphs whose package name passes the filter are kept.
 */
public final class PackageIndex {
    private final Map<String, List<PackageEntry>> byName;

    private PackageIndex(final Map<String, List<PackageEntry>> byName) {
        this.byName = byName;
    }

    /** Reads an uncompressed Packages stream, keeping packages whose name passes {@code wanted}. */
    public static PackageIndex read(final String name, final InputStream in, final Predicate<String> wanted)
            throws ImageException, IOException {
        final Deb822 r = new Deb822(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16));
        final Map<String, List<PackageEntry>> out = new HashMap<>();
        List<String> p;
        while ((p = r.nextParagraph()) != null) {
            String pkg = Deb822.firstField(p, "Package");
            if (pkg == null) {
                pkg = Deb822.fields(p).get("Package");
            }
            if (pkg == null) {
                throw new ImageException(name + ": paragraph ending at line " + r.lineNumber() + " has no Package");
            }
            if (wanted.test(pkg)) {
                out.computeIfAbsent(pkg, k -> new ArrayList<>()).add(PackageEntry.of(name, Deb822.fields(p)));
            }
        }
        return new PackageIndex(out);
    }

    /** Every kept entry named {@code pkg} (several when the index lists more than one version). */
    public List<PackageEntry> all(final String pkg) {
        return Collections.unmodifiableList(byName.getOrDefault(pkg, List.of()));
    }

    /** The highest version of {@code pkg}. */
    public Optional<PackageEntry> latest(final String pkg) {
        return all(pkg).stream().max((a, b) -> DebianVersion.compare(a.version(), b.version()));
    }

    /** The highest version that satisfies {@code r}. */
    Optional<PackageEntry> best(final Relation r) {
        return all(r.name()).stream().filter(e -> r.satisfiedBy(e.name(), e.version()))
                .max((a, b) -> DebianVersion.compare(a.version(), b.version()));
    }
}
