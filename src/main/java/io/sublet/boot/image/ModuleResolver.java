package io.sublet.boot.image;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Works out which kernel modules to load, and in which order, for a list of wanted modules, as depmod and modprobe
 * would if Debian shipped a {@code modules.dep}: each module's {@code depends=} is followed transitively, its
 * {@code softdep=} "pre" modules are loaded before it and "post" modules after it, and a module comes after
 * everything it depends on. Wanted modules that are built into the kernel are skipped and reported.
 *
 * <p>A wanted module or a hard dependency that is neither a module nor built in is an error, as is a dependency
 * cycle; a soft dependency that cannot be found is only noted, since modprobe ignores those too.
 */
final class ModuleResolver {
    /** Where module metadata comes from (the kernel package, or a test's synthetic modules). */
    interface Source {
        /** The parsed .modinfo of module {@code name} ({@code _} spelling), or null if there is no such file. */
        ModInfo info(String name) throws ImageException;

        /** Whether {@code name} is built into the kernel. */
        boolean builtin(String name);

        /** The module (file or built in) that has alias {@code alias}, or null. */
        String moduleWithAlias(String alias) throws ImageException;
    }

    /** The load order (dependencies first), wanted modules that are built in, and remarks for the user. */
    record Result(List<String> order, List<String> builtin, List<String> notes) { }

    private final Source source;
    private final Set<String> done = new LinkedHashSet<>();
    private final List<String> builtin = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    private ModuleResolver(final Source source) {
        this.source = source;
    }

    /** Resolves {@code wanted} (names in either spelling) against {@code source}. */
    static Result resolve(final Source source, final List<String> wanted) throws ImageException {
        final ModuleResolver r = new ModuleResolver(source);
        for (String w : wanted) {
            final String name = ModInfo.canonical(w);
            if (source.builtin(name)) {
                r.builtin.add(name);
                continue;
            }
            if (source.info(name) == null) {
                throw new ImageException("kernel module " + name + " is neither in the kernel package nor built in");
            }
            r.visit(name, new ArrayList<>());
        }
        return new Result(List.copyOf(r.done), Collections.unmodifiableList(r.builtin),
                Collections.unmodifiableList(r.notes));
    }

    private void visit(final String name, final List<String> path) throws ImageException {
        if (done.contains(name)) {
            return;
        }
        if (path.contains(name)) {
            final List<String> cycle = new ArrayList<>(path.subList(path.indexOf(name), path.size()));
            cycle.add(name);
            throw new ImageException("kernel modules depend on each other in a cycle: " + String.join(" -> ", cycle));
        }
        final ModInfo info = source.info(name);
        path.add(name);
        for (String soft : info.softPre()) {
            visitSoft(name, soft, path);
        }
        for (String dep : info.depends()) {
            if (source.builtin(dep)) {
                continue;
            }
            if (source.info(dep) == null) {
                throw new ImageException("kernel module " + name + " depends on " + dep
                        + ", which is neither in the kernel package nor built in");
            }
            visit(dep, path);
        }
        path.remove(path.size() - 1);
        done.add(name);
        for (String soft : info.softPost()) {
            visitSoft(name, soft, path);
        }
    }

    private void visitSoft(final String from, final String nameOrAlias, final List<String> path)
            throws ImageException {
        final String canonical = ModInfo.canonical(nameOrAlias);
        String target = null;
        if (source.builtin(canonical) || source.info(canonical) != null) {
            target = canonical;
        } else {
            target = source.moduleWithAlias(nameOrAlias);
        }
        if (target == null) {
            notes.add(from + ": soft dependency " + nameOrAlias + " not found; skipped");
            return;
        }
        if (source.builtin(target) || path.contains(target)) {
            return;
        }
        visit(target, path);
    }
}
