package io.sublet.cli;

import io.sublet.boot.image.ImageStore;
import java.nio.file.Path;

/** Where the daemon keeps its state, its socket and its token, shared by {@code serve} and {@code vm}. */
final class HostPaths {
    private HostPaths() { }

    /** {@code $SUBLET_HOME}, else {@code ~/.cache/sublet}: VMs live in {@code vms/} below it. */
    static Path home(final Path given) {
        return given != null ? given : ImageStore.defaultHome();
    }

    /** {@code $XDG_RUNTIME_DIR/sublet/api.sock} when there is a runtime directory, else {@code HOME/api.sock}. */
    static Path socket(final Path given, final Path home) {
        if (given != null) {
            return given;
        }
        final String env = System.getenv("SUBLET_SOCKET");
        if (env != null && !env.isEmpty()) {
            return Path.of(env);
        }
        final String xdg = System.getenv("XDG_RUNTIME_DIR");
        return xdg != null && !xdg.isEmpty() ? Path.of(xdg, "sublet", "api.sock") : home.resolve("api.sock");
    }

    static Path token(final Path home) {
        return home.resolve("api.token");
    }
}
