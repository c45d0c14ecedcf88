package io.sublet.boot.image;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What the cache holds for one image, for {@code sublet image ls}: enough to describe it even when it is broken.
 *
 * @param name the image's name
 * @param dir the image directory
 * @param kernelVersion the kernel release, or null if the manifest is unreadable
 * @param created when it was built (ISO-8601), or empty
 * @param packages the packages it was built from, each as {@code "name version"}
 * @param files each file's size in bytes, as the manifest lists them
 * @param problem null if every file matches the manifest and the image is current, else what is wrong
 */
public record ImageStatus(String name, Path dir, String kernelVersion, String created, List<String> packages,
        Map<String, Long> files, String problem) {
    public boolean ok() {
        return problem == null;
    }
}
