package io.sublet.boot.image;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.zip.GZIPOutputStream;

/**
 * Builds the default guest's initramfs, a gzip-compressed cpio (newc) archive:
 *
 * <pre>
 *  /init                          shell script, see {@link GuestInit}
 *  /bin/busybox                   from busybox-static, plus links for the essential applets
 *  /lib/modules/VERSION/kernel/   the modules, uncompressed (busybox insmod reads plain .ko files)
 *  /lib/modules/VERSION/modules.dep   for busybox modprobe, covering the modules included
 *  /etc/inittab, profile, passwd, group, hostname, udhcpc.script
 *  /dev/console                   character device 5,1 (the kernel opens it before anything is mounted)
 *  /proc /sys /dev /tmp /mnt /root /run and friends, empty
 * </pre>
 */
final class Initramfs {
    /** A module to include: name, path under {@code /lib/modules/VERSION/}, contents, direct hard dependencies. */
    record Module(String name, String path, byte[] data, List<String> depends) { }

    private static final String[] DIRS = {"bin", "sbin", "usr", "usr/bin", "usr/sbin", "etc", "dev", "proc", "sys",
        "tmp", "mnt", "root", "run", "var", "lib", "lib/modules"};

    private Initramfs() {
    }

    /**
     * Writes the gzip-compressed archive to {@code out} (left open). {@code modules} must be in load order;
     * {@code mtime} is every entry's modification time.
     */
    static void write(final OutputStream out, final byte[] busybox, final String kernelVersion,
            final List<Module> modules, final long mtime) throws IOException {
        final GZIPOutputStream gz = new GZIPOutputStream(out, 1 << 16);
        final CpioWriter cpio = new CpioWriter(gz, mtime);
        for (String d : DIRS) {
            cpio.directory(d, d.equals("tmp") ? 01777 : d.equals("root") ? 0700 : 0755);
        }
        cpio.charDevice("dev/console", 0600, 5, 1);
        cpio.file("bin/busybox", 0755, busybox);
        for (String applet : GuestInit.ESSENTIAL_APPLETS) {
            cpio.symlink(applet, applet.startsWith("bin/") ? "busybox" : "../bin/busybox");
        }
        final String modDir = "lib/modules/" + kernelVersion;
        cpio.directory(modDir, 0755);
        final Set<String> made = new TreeSet<>();
        final List<String[]> load = new ArrayList<>();
        for (Module m : modules) {
            final String[] parts = m.path().split("/");
            final StringBuilder dir = new StringBuilder(modDir);
            for (int i = 0; i < parts.length - 1; i++) {
                dir.append('/').append(parts[i]);
                if (made.add(dir.toString())) {
                    cpio.directory(dir.toString(), 0755);
                }
            }
            cpio.file(modDir + "/" + m.path(), 0644, m.data());
            load.add(new String[] {m.name(), m.path()});
        }
        cpio.file(modDir + "/modules.dep", 0644, utf8(modulesDep(modules)));
        cpio.file("etc/inittab", 0644, utf8(GuestInit.inittab()));
        cpio.file("etc/profile", 0644, utf8(GuestInit.profile()));
        cpio.file("etc/passwd", 0644, utf8(GuestInit.passwd()));
        cpio.file("etc/group", 0644, utf8(GuestInit.group()));
        cpio.file("etc/hostname", 0644, utf8(GuestInit.hostname()));
        cpio.file("etc/udhcpc.script", 0755, utf8(GuestInit.udhcpcScript()));
        cpio.file("init", 0755, utf8(GuestInit.init(kernelVersion, load)));
        cpio.finish();
        gz.finish();
        gz.flush();
    }

    /**
     * {@code modules.dep} in depmod's format: {@code path: deps}, where deps are all the module's hard
     * dependencies, transitively, listed so that modprobe, loading them from last to first, loads each after
     * everything it needs.
     */
    static String modulesDep(final List<Module> modules) {
        final Map<String, Module> byName = new HashMap<>();
        final Map<String, Integer> position = new HashMap<>();
        for (Module m : modules) {
            byName.put(m.name(), m);
            position.put(m.name(), position.size());
        }
        final StringBuilder s = new StringBuilder();
        for (Module m : modules) {
            final Set<String> all = new LinkedHashSet<>();
            collect(m, byName, all);
            all.remove(m.name());
            final List<String> deps = new ArrayList<>(all);
            deps.sort((a, b) -> Integer.compare(position.get(b), position.get(a)));
            s.append(m.path()).append(':');
            for (String d : deps) {
                s.append(' ').append(byName.get(d).path());
            }
            s.append('\n');
        }
        return s.toString();
    }

    private static void collect(final Module m, final Map<String, Module> byName, final Set<String> into) {
        if (!into.add(m.name())) {
            return;
        }
        for (String d : m.depends()) {
            final Module dep = byName.get(d);
            if (dep != null) {
                collect(dep, byName, into);
            }
        }
    }

    private static byte[] utf8(final String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
