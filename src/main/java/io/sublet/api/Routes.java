package io.sublet.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.sublet.vmm.Host;
import io.sublet.vmm.Json;
import io.sublet.vmm.Task;
import io.sublet.vmm.VmConfig;
import io.sublet.vmm.VmEvent;
import io.sublet.vmm.VmInfo;
import io.sublet.vmm.VmState;
import io.sublet.vmm.VmmException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every route of the API, in one place (the OpenAPI file {@code openapi.yaml} beside this class describes the
 * same). Each handler parses, calls the {@link Host}, and answers; refusals become problem details in
 * {@link ApiServer}.
 */
final class Routes {
    private static final Pattern VM = Pattern.compile("/v1/vms/([^/]+)(/[a-z]+)?");
    private static final Pattern TASK = Pattern.compile("/v1/tasks/([^/]+)");
    private static final long MAX_WAIT_SECONDS = 300;
    private final Host host;
    private final Metrics metrics;

    Routes(final Host host) {
        this.host = host;
        this.metrics = new Metrics(host);
    }

    /** The body of a stop request. */
    record StopRequest(@JsonProperty("force") Boolean force, @JsonProperty("grace_seconds") Integer graceSeconds) { }

    /** A list of VMs, wrapped so the API can add fields later. */
    record VmList(@JsonProperty("vms") List<VmInfo> vms) { }

    void handle(final Exchange x, final String path) throws ApiException, VmmException, IOException {
        final String m = x.method();
        if (path.equals("/v1/host")) {
            only(m, "GET");
            x.json(200, HostView.of(host));
        } else if (path.equals("/v1/vms")) {
            if (m.equals("GET")) {
                x.json(200, new VmList(host.list()));
            } else {
                only(m, "POST");
                x.json(201, host.define(x.json(VmConfig.class, null)));
            }
        } else if (path.equals("/v1/events")) {
            only(m, "GET");
            events(x);
        } else if (path.equals("/v1/metrics")) {
            only(m, "GET");
            x.text(200, "text/plain; version=0.0.4; charset=utf-8", metrics.render());
        } else if (path.equals("/v1/openapi.yaml")) {
            only(m, "GET");
            try (InputStream in = Routes.class.getResourceAsStream("openapi.yaml")) {
                x.text(200, "application/yaml", new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        } else if (TASK.matcher(path).matches()) {
            only(m, "GET");
            final Matcher t = TASK.matcher(path);
            t.matches();
            task(x, t.group(1));
        } else if (VM.matcher(path).matches()) {
            final Matcher v = VM.matcher(path);
            v.matches();
            vm(x, m, v.group(1), v.group(2) == null ? "" : v.group(2));
        } else {
            throw new ApiException(404, "no such resource: " + path);
        }
    }

    private void vm(final Exchange x, final String m, final String name, final String sub)
            throws ApiException, VmmException, IOException {
        switch (sub) {
            case "":
                if (m.equals("GET")) {
                    x.json(200, host.info(name));
                } else {
                    only(m, "DELETE");
                    host.undefine(name);
                    x.noContent();
                }
                break;
            case "/start":
                only(m, "POST");
                x.body();
                x.json(202, host.start(name).view());
                break;
            case "/stop":
                only(m, "POST");
                final StopRequest s = x.json(StopRequest.class, new StopRequest(false, null));
                x.json(202, host.stop(name, Boolean.TRUE.equals(s.force()),
                        s.graceSeconds() == null ? Host.DEFAULT_GRACE_SECONDS : s.graceSeconds()).view());
                break;
            case "/pause":
                only(m, "POST");
                x.body();
                x.json(200, host.pause(name));
                break;
            case "/resume":
                only(m, "POST");
                x.body();
                x.json(200, host.resume(name));
                break;
            case "/console":
                if (m.equals("GET")) {
                    console(x, name);
                } else {
                    only(m, "POST");
                    final byte[] b = x.body();
                    host.consoleInput(name, b);
                    x.noContent();
                }
                break;
            case "/log":
                only(m, "GET");
                final Path log = host.consoleLog(name);
                // the guest's bytes as it wrote them (the file is bounded by console_log_kib)
                x.bytes(200, "text/plain", Files.exists(log) ? Files.readAllBytes(log) : new byte[0]);
                break;
            default:
                throw new ApiException(404, "no such resource: /v1/vms/" + name + sub);
        }
    }

    private void task(final Exchange x, final String id) throws ApiException, VmmException, IOException {
        final String wait = x.query("wait");
        long seconds = -1;
        if (wait != null) {
            try {
                seconds = Long.parseLong(wait);
            } catch (NumberFormatException e) {
                throw new ApiException(400, "wait", "wait must be a number of seconds, not " + wait);
            }
            if (seconds < 0 || seconds > MAX_WAIT_SECONDS) {
                throw new ApiException(400, "wait", "wait " + seconds + " is out of range 0.." + MAX_WAIT_SECONDS);
            }
        }
        final Task t = host.task(id);
        if (seconds > 0) {
            try {
                t.await(seconds, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        x.json(200, t.view());
    }

    /** Server-sent events: each lifecycle event as {@code id: SEQ}, {@code event: lifecycle}, {@code data: JSON}. */
    private void events(final Exchange x) throws ApiException, IOException {
        long after = 0;
        final String a = x.query("after");
        if (a != null) {
            try {
                after = Long.parseLong(a);
            } catch (NumberFormatException e) {
                throw new ApiException(400, "after", "after must be an event sequence number, not " + a);
            }
        }
        final BlockingQueue<VmEvent> queue = new ArrayBlockingQueue<>(4096);
        final OutputStream out = x.stream("text/event-stream");
        try (AutoCloseable sub = host.events().subscribe(after, e -> {
            if (!queue.offer(e)) {
                queue.clear(); // a client this far behind has lost events; the gap in seq numbers tells it
            }
        })) {
            out.write(": sublet lifecycle events\n\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
            while (true) {
                final VmEvent e = queue.poll(15, TimeUnit.SECONDS);
                final String frame = e == null ? ": keep-alive\n\n"
                        : "id: " + e.seq() + "\nevent: lifecycle\ndata: " + Json.MAPPER.writeValueAsString(e) + "\n\n";
                out.write(frame.getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        } catch (IOException e) {
            // the client went away
        } catch (Exception e) {
            Thread.currentThread().interrupt();
        } finally {
            closeQuietly(out);
            x.callback.succeeded();
        }
    }

    /** The console's output as a byte stream, for as long as the client reads and the VM runs. */
    private void console(final Exchange x, final String name) throws VmmException {
        final SocketChannel c = host.openConsole(name);
        final OutputStream out = x.stream("application/octet-stream");
        try (c) {
            final ByteBuffer b = ByteBuffer.allocate(8192);
            while (c.read(b) >= 0) {
                out.write(b.array(), 0, b.position());
                out.flush();
                b.clear();
            }
        } catch (IOException e) {
            // the client or the worker went away
        } finally {
            closeQuietly(out);
            x.callback.succeeded();
        }
    }

    private static void closeQuietly(final OutputStream out) {
        try {
            out.close();
        } catch (IOException e) {
            // the client has gone
        }
    }

    private static void only(final String method, final String allowed) throws ApiException {
        if (!method.equals(allowed)) {
            throw new ApiException(405, "method " + method + " is not allowed here; use " + allowed);
        }
    }

    /** The host as {@code GET /v1/host} shows it. */
    record HostView(@JsonProperty("cores") int cores, @JsonProperty("physical_memory_mib") long physicalMib,
                    @JsonProperty("overcommit") double overcommit, @JsonProperty("admitted_memory_mib") long admittedMib,
                    @JsonProperty("committed_memory_mib") long committedMib, @JsonProperty("vms") int vms,
                    @JsonProperty("cpu_limits") String cpuLimits) {
        static HostView of(final Host h) {
            final List<VmInfo> all = h.list();
            final long committed = all.stream().filter(v -> VmState.valueOf(v.state().toUpperCase(Locale.ROOT)).live())
                    .mapToLong(v -> v.config().memoryMib()).sum();
            return new HostView(h.resources().cores(), h.resources().physicalMib(), h.resources().overcommit(),
                    h.resources().admittedMib(), committed, all.size(), h.cpuLimits().describe());
        }
    }
}
