package io.sublet.boot.image;

import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The Debian packages the default guest is made of: the kernel that the {@code linux-image-riscv64}
 * meta-package depends on (e.g. {@code linux-image-6.12.107+deb13-riscv64}), {@code busybox-static} and
 * {@code opensbi}.
 */
public record GuestPackages(PackageEntry kernel, PackageEntry busybox, PackageEntry opensbi) {
    static final String KERNEL_META = "linux-image-riscv64";
    static final String BUSYBOX = "busybox-static";
    static final String OPENSBI = "opensbi";
    private static final Pattern VERSIONED_KERNEL = Pattern.compile("linux-image-[0-9][^ ]*");

    /** The package names worth keeping while reading the Packages index. */
    static final Predicate<String> WANTED = n -> n.equals(BUSYBOX) || n.equals(OPENSBI) || n.startsWith("linux-image-");

    /** The three packages, kernel first. */
    public List<PackageEntry> all() {
        return List.of(kernel, busybox, opensbi);
    }

    /** Picks the packages from an index read with {@link #WANTED}. */
    static GuestPackages resolve(final String indexName, final PackageIndex index) throws ImageException {
        final PackageEntry meta = index.latest(KERNEL_META).orElseThrow(() -> new ImageException(indexName
                + ": no package " + KERNEL_META + " (is this the riscv64 index?)"));
        PackageEntry kernel = null;
        for (List<Relation> group : Relation.parseDepends(meta.depends())) {
            for (Relation alt : group) {
                if (!VERSIONED_KERNEL.matcher(alt.name()).matches()) {
                    continue;
                }
                final Optional<PackageEntry> e = index.best(alt);
                if (e.isPresent()) {
                    kernel = e.get();
                    break;
                }
            }
            if (kernel != null) {
                break;
            }
        }
        if (kernel == null) {
            throw new ImageException(indexName + ": " + KERNEL_META + " " + meta.version()
                    + " depends on no kernel package in the index (Depends: " + meta.depends() + ")");
        }
        final PackageEntry busybox = index.latest(BUSYBOX).orElseThrow(() -> new ImageException(indexName
                + ": no package " + BUSYBOX));
        final PackageEntry opensbi = index.latest(OPENSBI).orElseThrow(() -> new ImageException(indexName
                + ": no package " + OPENSBI));
        return new GuestPackages(kernel, busybox, opensbi);
    }
}
