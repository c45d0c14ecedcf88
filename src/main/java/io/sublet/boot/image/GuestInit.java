package io.sublet.boot.image;

import java.util.List;

/**
 * The text files of the default guest's initramfs: {@code /init}, which the kernel runs first, and the
 * configuration of busybox init, which it hands over to.
 *
 * <p>{@code /init} mounts proc, sysfs and devtmpfs, installs the busybox applet links, loads the kernel modules in
 * dependency order (a module that fails is reported and skipped), prints a banner and execs busybox {@code init}.
 * Busybox init then keeps a login shell on the console, with a controlling terminal ({@code cttyhack}) so that
 * Ctrl-C and job control work, and is what makes {@code poweroff} a real power-off: poweroff signals init, init
 * runs the {@code shutdown} entries, and then asks the kernel to power the machine off.
 */
final class GuestInit {
    /** Applet links created in the archive, so the shell works even before {@code busybox --install} has run. */
    static final List<String> ESSENTIAL_APPLETS = List.of(
            "bin/sh", "bin/ash", "bin/cat", "bin/cttyhack", "bin/dmesg", "bin/echo", "bin/hostname", "bin/ln",
            "bin/ls", "bin/mkdir", "bin/mount", "bin/sync", "bin/umount", "bin/uname",
            "sbin/halt", "sbin/init", "sbin/insmod", "sbin/lsmod", "sbin/modprobe", "sbin/poweroff", "sbin/reboot",
            "sbin/rmmod");

    private GuestInit() {
    }

    /** {@code /init} for {@code kernelVersion}, loading {@code modules} ({@code name}, path under the modules dir). */
    static String init(final String kernelVersion, final List<String[]> modules) {
        final StringBuilder s = new StringBuilder();
        s.append("#!/bin/sh\n")
                .append("# /init of Sublet's default guest, written by Sublet's image builder.\n")
                .append("export PATH=/sbin:/bin:/usr/sbin:/usr/bin\n")
                .append("mount -t proc proc /proc\n")
                .append("mount -t sysfs sysfs /sys\n")
                .append("mount -t devtmpfs devtmpfs /dev\n")
                .append("mkdir -p /dev/pts /dev/shm\n")
                .append("mount -t devpts devpts /dev/pts\n")
                .append("mount -t tmpfs tmpfs /tmp\n")
                .append("/bin/busybox --install -s\n")
                .append("hostname -F /etc/hostname\n")
                .append("\n")
                .append("# Kernel modules, dependencies first (Debian ships no modules.dep; Sublet worked out the\n")
                .append("# order from each module's .modinfo). A module that fails is reported and skipped.\n")
                .append("loaded=0\n")
                .append("failed=\"\"\n")
                .append("load() {\n")
                .append("    if insmod \"/lib/modules/").append(kernelVersion).append("/$2\"; then\n")
                .append("        loaded=$((loaded + 1))\n")
                .append("    else\n")
                .append("        failed=\"$failed $1\"\n")
                .append("    fi\n")
                .append("}\n");
        for (String[] m : modules) {
            s.append("load ").append(m[0]).append(' ').append(m[1]).append('\n');
        }
        s.append("\n")
                .append("# Network: with a network card, DHCP on eth0 (passt answers at once). On a network without a\n")
                .append("# DHCP server udhcpc gives up after three tries and the shell starts anyway.\n")
                .append("ifconfig lo 127.0.0.1 up\n")
                .append("if [ -e /sys/class/net/eth0 ]; then\n")
                .append("    ifconfig eth0 up\n")
                .append("    udhcpc -i eth0 -s /etc/udhcpc.script -t 3 -T 1 -n -q || echo \"eth0: no DHCP answer\"\n")
                .append("fi\n")
                .append("\n")
                .append("echo\n")
                .append("echo \"Sublet guest: Debian Linux $(uname -r) on $(uname -m), busybox shell.\"\n")
                .append("echo \"Kernel modules: $loaded loaded${failed:+, failed:$failed}.\"\n")
                .append("echo \"'poweroff' ends the guest.\"\n")
                .append("exec /sbin/init\n");
        return s.toString();
    }

    /**
     * {@code /etc/udhcpc.script}: busybox udhcpc runs it with {@code deconfig}, {@code bound}, {@code renew},
     * {@code leasefail} or {@code nak} and the lease in the environment; it configures the interface (with
     * the MTU the server offers: passt's 65,520 bytes lets the guest move 64 KiB per frame), the default route
     * and {@code /etc/resolv.conf}.
     */
    static String udhcpcScript() {
        return "#!/bin/sh\n"
                + "# Written by Sublet's image builder: udhcpc's lease to interface, route and resolver.\n"
                + "case \"$1\" in\n"
                + "deconfig)\n"
                + "    ifconfig \"$interface\" 0.0.0.0 up\n"
                + "    ;;\n"
                + "bound|renew)\n"
                + "    ifconfig \"$interface\" \"$ip\" netmask \"${subnet:-255.255.255.0}\" up\n"
                + "    [ -n \"$mtu\" ] && ifconfig \"$interface\" mtu \"$mtu\"\n"
                + "    while route del default dev \"$interface\" 2>/dev/null; do :; done\n"
                + "    for r in $router; do route add default gw \"$r\" dev \"$interface\"; done\n"
                + "    : > /etc/resolv.conf\n"
                + "    [ -n \"$domain\" ] && echo \"search $domain\" >> /etc/resolv.conf\n"
                + "    for d in $dns; do echo \"nameserver $d\" >> /etc/resolv.conf; done\n"
                + "    ;;\n"
                + "esac\n"
                + "exit 0\n";
    }

    /** {@code /etc/inittab} for busybox init. */
    static String inittab() {
        return "# /etc/inittab of Sublet's default guest (busybox init; an empty id means the console).\n"
                + "::respawn:/bin/cttyhack /bin/sh -l\n"
                + "::ctrlaltdel:/sbin/reboot\n"
                + "::shutdown:/bin/sync\n"
                + "::shutdown:/bin/umount -a -r\n"
                + "::restart:/sbin/init\n";
    }

    static String profile() {
        return "export PATH=/sbin:/bin:/usr/sbin:/usr/bin\n"
                + "export HOME=/root\n"
                + "export PS1='\\u@\\h:\\w\\$ '\n"
                + "cd \"$HOME\"\n";
    }

    static String passwd() {
        return "root:x:0:0:root:/root:/bin/sh\n";
    }

    static String group() {
        return "root:x:0:\n";
    }

    static String hostname() {
        return "sublet\n";
    }
}
