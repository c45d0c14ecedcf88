package io.sublet.vmm;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.sublet.machine.VirtConfig;
import io.sublet.mem.Ram;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A VM's definition, as the API takes it and as it is stored: everything needed to boot it again after a daemon
 * restart. Absent optional fields take defaults in {@link #withDefaults}; {@link #validate} checks every field and
 * names the first one at fault. Kernel and initrd absent mean the default Debian image.
 *
 * @param name unique on the host: lower-case letters, digits, '.', '_' and '-', at most 63
 * @param vcpus harts; the virt board runs one today
 * @param memoryMib guest RAM in MiB
 * @param kernel a RISC-V Linux Image, or null for the default image's
 * @param initrd an initramfs, or null (the default image's when the kernel is too)
 * @param append the kernel command line
 * @param disks raw disk images behind virtio-blk; the first is /dev/vda
 * @param cpuWeight the VM's share of host CPU against other VMs (cgroup v2 cpu.weight, 1..10000)
 * @param cpuQuotaPercent a hard cap in percent of one host core (cgroup v2 cpu.max), or null for none
 * @param consoleLogKib the console log file's size before it is rotated
 * @param rng whether the guest gets a virtio entropy device
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record VmConfig(
        @JsonProperty("name") String name,
        @JsonProperty("vcpus") Integer vcpus,
        @JsonProperty("memory_mib") Integer memoryMib,
        @JsonProperty("kernel") String kernel,
        @JsonProperty("initrd") String initrd,
        @JsonProperty("append") String append,
        @JsonProperty("disks") List<Disk> disks,
        @JsonProperty("cpu_weight") Integer cpuWeight,
        @JsonProperty("cpu_quota_percent") Integer cpuQuotaPercent,
        @JsonProperty("console_log_kib") Integer consoleLogKib,
        @JsonProperty("rng") Boolean rng) {

    public static final int DEFAULT_MEMORY_MIB = 256;
    public static final int MIN_MEMORY_MIB = 64;
    public static final int MAX_MEMORY_MIB = (int) (Ram.MAX_SIZE >> 20);
    public static final int MAX_VCPUS = 1;
    public static final int DEFAULT_CPU_WEIGHT = 100;
    public static final int DEFAULT_CONSOLE_LOG_KIB = 1024;
    public static final int MAX_APPEND = 1024;
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");

    /** A disk: a raw image file, read-only or not. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Disk(@JsonProperty("path") String path, @JsonProperty("read_only") Boolean readOnly) {
        public boolean ro() {
            return Boolean.TRUE.equals(readOnly);
        }
    }

    /** The same definition with every absent optional field at its default. */
    public VmConfig withDefaults() {
        return new VmConfig(name, vcpus == null ? 1 : vcpus, memoryMib == null ? DEFAULT_MEMORY_MIB : memoryMib,
                kernel, initrd, append == null ? VirtConfig.DEFAULT_APPEND : append, disks == null ? List.of() : disks,
                cpuWeight == null ? DEFAULT_CPU_WEIGHT : cpuWeight, cpuQuotaPercent,
                consoleLogKib == null ? DEFAULT_CONSOLE_LOG_KIB : consoleLogKib, rng == null ? Boolean.TRUE : rng);
    }

    /** Checks a definition with its defaults applied; the exception names the field and the rule. */
    public VmConfig validate(final int hostCores) throws VmmException {
        if (name == null || name.isEmpty()) {
            throw invalid("name", "name is required");
        }
        if (!NAME.matcher(name).matches()) {
            throw invalid("name", "name \"" + name + "\" must be 1 to 63 of a-z, 0-9, '.', '_', '-', starting with a"
                    + " letter or digit");
        }
        if (vcpus < 1 || vcpus > MAX_VCPUS) {
            throw invalid("vcpus", "vcpus " + vcpus + " is out of range: the virt board runs " + MAX_VCPUS
                    + " hart so far (the host has " + hostCores + " cores)");
        }
        if (memoryMib < MIN_MEMORY_MIB || memoryMib > MAX_MEMORY_MIB) {
            throw invalid("memory_mib", "memory_mib " + memoryMib + " is out of range " + MIN_MEMORY_MIB + ".."
                    + MAX_MEMORY_MIB);
        }
        if (kernel == null && initrd != null) {
            throw invalid("initrd", "an initrd needs a kernel: give both, or neither for the default image");
        }
        checkFile("kernel", kernel);
        checkFile("initrd", initrd);
        if (append.length() > MAX_APPEND) {
            throw invalid("append", "append is " + append.length() + " characters; at most " + MAX_APPEND);
        }
        final Set<Path> seen = new HashSet<>();
        for (int i = 0; i < disks.size(); i++) {
            final Disk d = disks.get(i);
            final String field = "disks[" + i + "].path";
            if (d == null || d.path() == null) {
                throw invalid(field, field + " is required");
            }
            checkFile(field, d.path());
            if (!seen.add(Path.of(d.path()).toAbsolutePath().normalize())) {
                throw invalid(field, d.path() + " is attached twice");
            }
        }
        if (cpuWeight < 1 || cpuWeight > 10000) {
            throw invalid("cpu_weight", "cpu_weight " + cpuWeight + " is out of range 1..10000");
        }
        if (cpuQuotaPercent != null && (cpuQuotaPercent < 1 || cpuQuotaPercent > 100 * vcpus)) {
            throw invalid("cpu_quota_percent", "cpu_quota_percent " + cpuQuotaPercent + " is out of range 1.."
                    + 100 * vcpus + " (percent of one core per vCPU)");
        }
        if (consoleLogKib < 16 || consoleLogKib > 1 << 20) {
            throw invalid("console_log_kib", "console_log_kib " + consoleLogKib + " is out of range 16..1048576");
        }
        return this;
    }

    private static void checkFile(final String field, final String path) throws VmmException {
        if (path == null) {
            return;
        }
        if (path.isEmpty() || !Path.of(path).isAbsolute()) {
            throw invalid(field, field + " \"" + path + "\" must be an absolute path (the daemon has its own working"
                    + " directory)");
        }
        final Path p = Path.of(path);
        if (!Files.isRegularFile(p)) {
            throw invalid(field, field + " " + path + (Files.exists(p) ? " is not a regular file" : ": no such file"));
        }
        if (!Files.isReadable(p)) {
            throw invalid(field, field + " " + path + " is not readable by the daemon");
        }
    }

    private static VmmException invalid(final String field, final String message) {
        return new VmmException(VmmException.Kind.INVALID, field, message);
    }

    public long memoryBytes() {
        return (long) memoryMib << 20;
    }
}
