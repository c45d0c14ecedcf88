package io.sublet.api;

import io.sublet.vmm.Host;
import io.sublet.vmm.VmInfo;
import java.util.List;
import java.util.Locale;

/** Host and per-VM figures in the Prometheus text exposition format (version 0.0.4), for a scraper. */
final class Metrics {
    private final Host host;

    Metrics(final Host host) {
        this.host = host;
    }

    String render() {
        final List<VmInfo> vms = host.list();
        final StringBuilder s = new StringBuilder();
        family(s, "sublet_host_vms", "gauge", "VMs defined on the host");
        s.append("sublet_host_vms ").append(vms.size()).append('\n');
        family(s, "sublet_host_admitted_memory_bytes", "gauge", "guest memory the host admits (RAM x overcommit)");
        s.append("sublet_host_admitted_memory_bytes ").append(host.resources().admittedMib() << 20).append('\n');
        family(s, "sublet_vm_up", "gauge", "1 when the VM's worker runs (running or paused)");
        for (VmInfo v : vms) {
            s.append("sublet_vm_up{vm=\"").append(v.name()).append("\",state=\"").append(v.state()).append("\"} ")
                    .append(v.pid() == null ? 0 : 1).append('\n');
        }
        family(s, "sublet_vm_memory_bytes", "gauge", "guest RAM as defined");
        for (VmInfo v : vms) {
            s.append("sublet_vm_memory_bytes{vm=\"").append(v.name()).append("\"} ")
                    .append((long) v.config().memoryMib() << 20).append('\n');
        }
        family(s, "sublet_vm_instructions_total", "counter", "guest instructions retired");
        perVm(s, vms, "sublet_vm_instructions_total", 0);
        family(s, "sublet_vm_cpu_seconds_total", "counter", "host CPU time of the VM's worker");
        perVm(s, vms, "sublet_vm_cpu_seconds_total", 1);
        family(s, "sublet_vm_rss_bytes", "gauge", "resident memory of the VM's worker");
        perVm(s, vms, "sublet_vm_rss_bytes", 2);
        family(s, "sublet_vm_console_bytes_total", "counter", "bytes the guest wrote to its console");
        perVm(s, vms, "sublet_vm_console_bytes_total", 3);
        family(s, "sublet_vm_traps_total", "counter", "exceptions and interrupts the guest took");
        perVm(s, vms, "sublet_vm_traps_total", 4);
        family(s, "sublet_vm_disk_read_bytes_total", "counter", "storage bytes read by the VM's worker");
        perVm(s, vms, "sublet_vm_disk_read_bytes_total", 5);
        family(s, "sublet_vm_disk_write_bytes_total", "counter", "storage bytes written by the VM's worker");
        perVm(s, vms, "sublet_vm_disk_write_bytes_total", 6);
        return s.toString();
    }

    private static void family(final StringBuilder s, final String name, final String type, final String help) {
        s.append("# HELP ").append(name).append(' ').append(help).append('\n');
        s.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private static void perVm(final StringBuilder s, final List<VmInfo> vms, final String name, final int which) {
        for (VmInfo v : vms) {
            final VmInfo.Metrics m = v.metrics();
            if (m == null) {
                continue;
            }
            final String value = switch (which) {
                case 0 -> Long.toString(m.instructions());
                case 1 -> String.format(Locale.ROOT, "%.2f", m.cpuSeconds());
                case 2 -> Long.toString(m.rssBytes());
                case 3 -> Long.toString(m.consoleBytes());
                case 4 -> Long.toString(m.traps());
                case 5 -> Long.toString(m.diskReadBytes());
                default -> Long.toString(m.diskWriteBytes());
            };
            s.append(name).append("{vm=\"").append(v.name()).append("\"} ").append(value).append('\n');
        }
    }
}
