package io.sublet.vmm;

import com.fasterxml.jackson.databind.JsonNode;
import io.sublet.vmm.worker.WorkerExit;
import io.sublet.vmm.worker.WorkerProtocol;
import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The host: its VMs, persisted under {@code home/vms/NAME/}, each run by a worker process of its own. This is
 * the one command surface the API and the CLI use. Definitions are validated, against the host's resources too,
 * before anything runs; lifecycle changes follow {@link VmState}; long work returns a {@link Task}. The daemon
 * never waits on a guest: every call to a worker has a deadline, and a force-stop is a SIGKILL.
 */
public final class Host implements AutoCloseable {
    /** How long a worker has to boot its machine and answer on its socket. */
    static final long START_TIMEOUT_MS = 120_000;
    static final long CALL_TIMEOUT_MS = 5_000;
    public static final int DEFAULT_GRACE_SECONDS = 30;

    private final Path home;
    private final HostResources resources;
    private final WorkerLauncher launcher;
    private final EventLog events = new EventLog();
    private final Map<String, Vm> vms = new ConcurrentHashMap<>();
    private final Map<String, Task> tasks = new ConcurrentHashMap<>();
    private final AtomicLong taskSeq = new AtomicLong();
    private final ExecutorService work = Executors.newCachedThreadPool(r -> {
        final Thread t = new Thread(r, "host-task");
        t.setDaemon(true);
        return t;
    });
    private final CpuLimits cpuLimits;

    private Host(final Path home, final HostResources resources, final WorkerLauncher launcher) {
        this.home = home;
        this.resources = resources;
        this.launcher = launcher;
        this.cpuLimits = CpuLimits.probe();
    }

    /** Opens the host in {@code home}: loads every definition and finds the workers still running. */
    public static Host open(final Path home, final HostResources resources, final WorkerLauncher launcher)
            throws IOException {
        Files.createDirectories(home.resolve("vms"));
        final Host h = new Host(home, resources, launcher);
        h.load();
        return h;
    }

    public Path home() {
        return home;
    }

    public HostResources resources() {
        return resources;
    }

    public EventLog events() {
        return events;
    }

    public CpuLimits cpuLimits() {
        return cpuLimits;
    }

    // ---- definitions ----

    /** Defines a VM; refused if invalid, over the host's limits, a duplicate name, or a disk another VM uses. */
    public VmInfo define(final VmConfig requested) throws VmmException {
        final VmConfig c = requested.withDefaults().validate(resources.cores());
        if (c.memoryMib() > resources.admittedMib()) {
            throw new VmmException(VmmException.Kind.OVER_LIMIT, "memory_mib", "memory_mib " + c.memoryMib()
                    + " is more than this host admits: " + resources.admittedMib() + " MiB (" + resources.physicalMib()
                    + " MiB of RAM times the overcommit ratio " + resources.overcommit() + ")");
        }
        synchronized (vms) {
            if (vms.containsKey(c.name())) {
                throw new VmmException(VmmException.Kind.CONFLICT, "name", "a VM named " + c.name()
                        + " is already defined");
            }
            checkDisks(c);
            final VmDir dir = new VmDir(home.resolve("vms").resolve(c.name()));
            final VmStatus initial = new VmStatus(VmState.DEFINED.wire(), Instant.now().toString(), "defined", null,
                    null);
            try {
                Files.createDirectories(dir.dir());
                Json.write(dir.config(), c);
                Json.write(dir.status(), initial);
            } catch (IOException e) {
                throw new VmmException(VmmException.Kind.FAILED, "cannot store VM " + c.name() + " in " + dir.dir()
                        + ": " + e.getMessage());
            }
            final Vm vm = new Vm(dir, c, initial, events);
            vms.put(c.name(), vm);
            events.publish(c.name(), null, VmState.DEFINED.wire(), "defined");
            return info(vm);
        }
    }

    /** A writable disk belongs to one VM; a read-only one may be shared by read-only users (libvirt's rule). */
    private void checkDisks(final VmConfig c) throws VmmException {
        for (int i = 0; i < c.disks().size(); i++) {
            final VmConfig.Disk d = c.disks().get(i);
            final Path p = Path.of(d.path()).toAbsolutePath().normalize();
            for (Vm other : vms.values()) {
                for (VmConfig.Disk o : other.config().disks()) {
                    if (Path.of(o.path()).toAbsolutePath().normalize().equals(p) && !(d.ro() && o.ro())) {
                        throw new VmmException(VmmException.Kind.CONFLICT, "disks[" + i + "].path", "disk "
                                + d.path() + " is already used by VM " + other.name
                                + (o.ro() ? " (read-only; attach it read-only here too)" : ""));
                    }
                }
            }
        }
    }

    /** Deletes a VM that is not running: its definition, logs and directory (its disks are the user's and stay). */
    public void undefine(final String name) throws VmmException {
        final Vm vm = vm(name);
        synchronized (vm) {
            if (vm.state().live()) {
                throw new VmmException(VmmException.Kind.CONFLICT, "cannot delete VM " + name + ": it is "
                        + vm.state().wire() + "; stop it first");
            }
            vms.remove(name);
            deleteTree(vm.dir.dir());
        }
        events.publish(name, vm.state(), "deleted", "deleted");
    }

    public List<VmInfo> list() {
        final List<VmInfo> out = new ArrayList<>();
        vms.values().stream().sorted(Comparator.comparing(v -> v.name)).forEach(v -> out.add(info(v)));
        return out;
    }

    public VmInfo info(final String name) throws VmmException {
        return info(vm(name));
    }

    private VmInfo info(final Vm vm) {
        final VmStatus s = vm.status();
        VmInfo.Metrics metrics = null;
        if (s.pid() != null) {
            final ProcStats p = ProcStats.of(s.pid());
            long instructions = 0;
            long consoleBytes = 0;
            long traps = 0;
            double uptime = 0;
            try {
                final JsonNode r = call(vm, WorkerProtocol.STATUS, Map.of());
                instructions = r.path("instructions").asLong();
                consoleBytes = r.path("console_bytes").asLong();
                uptime = r.path("uptime_ms").asLong() / 1000.0;
                traps = r.path("traps").asLong();
            } catch (VmmException e) {
                // a worker still booting or just gone: its kernel-side figures are still worth showing
            }
            metrics = new VmInfo.Metrics(instructions, p.cpuSeconds(), p.rssBytes(), consoleBytes, uptime, traps,
                    p.diskReadBytes(), p.diskWriteBytes());
        }
        return new VmInfo(vm.name, s.state(), s.since(), s.reason(), s.pid(), vm.config(), metrics);
    }

    private Vm vm(final String name) throws VmmException {
        final Vm vm = name == null ? null : vms.get(name);
        if (vm == null) {
            throw new VmmException(VmmException.Kind.NOT_FOUND, "no VM named " + name);
        }
        return vm;
    }

    public Task task(final String id) throws VmmException {
        final Task t = tasks.get(id);
        if (t == null) {
            throw new VmmException(VmmException.Kind.NOT_FOUND, "no task " + id);
        }
        return t;
    }

    private Task newTask(final String kind, final String vm) {
        final Task t = new Task("task-" + taskSeq.incrementAndGet(), kind, vm);
        tasks.put(t.id(), t);
        return t;
    }

    // ---- lifecycle ----

    /** Starts a VM's worker; the task succeeds when the guest runs (its machine is built and executing). */
    public Task start(final String name) throws VmmException {
        final Vm vm = vm(name);
        final Task task = newTask("start", name);
        synchronized (vm) {
            vm.require(VmState.STARTING, "start");
            final long used = liveMemoryMib();
            final VmConfig c = vm.config();
            if (used + c.memoryMib() > resources.admittedMib()) {
                throw new VmmException(VmmException.Kind.OVER_LIMIT, "cannot start VM " + name + ": its "
                        + c.memoryMib() + " MiB and the " + used + " MiB of running VMs exceed the "
                        + resources.admittedMib() + " MiB this host admits");
            }
            vm.transition(VmState.STARTING, "starting");
        }
        work.execute(() -> runStart(vm, task));
        return task;
    }

    private long liveMemoryMib() {
        return vms.values().stream().filter(v -> v.state().live()).mapToLong(v -> v.config().memoryMib()).sum();
    }

    private void runStart(final Vm vm, final Task task) {
        try {
            Files.deleteIfExists(vm.dir.exit());
            Files.deleteIfExists(vm.dir.socket());
            final Process p;
            synchronized (vm) {
                if (vm.state() != VmState.STARTING) { // stopped while we were getting ready: launch nothing
                    task.fail("VM " + vm.name + " was stopped before its worker started");
                    return;
                }
                p = launcher.launch(vm.dir, vm.config(), cpuLimits.cgroups());
                vm.attach(p.toHandle(), p);
                vm.persist();
            }
            cpuLimits.apply(vm.name, p.pid(), vm.config());
            p.onExit().thenRun(() -> workerExited(vm, p.toHandle(), p));
            final long deadline = System.nanoTime() + START_TIMEOUT_MS * 1_000_000L;
            while (System.nanoTime() < deadline) {
                if (!p.isAlive()) {
                    p.onExit().get(CALL_TIMEOUT_MS, TimeUnit.MILLISECONDS);
                    waitForExitHandled(vm);
                    task.fail("the VM did not start: " + vm.reason());
                    return;
                }
                if (Files.exists(vm.dir.socket())) {
                    try {
                        WorkerProtocol.call(vm.dir.socket(), Map.of("op", WorkerProtocol.STATUS), CALL_TIMEOUT_MS);
                        if (vm.transition(VmState.RUNNING, "running")) {
                            task.succeed();
                        } else {
                            task.fail("VM " + vm.name + " is " + vm.state().wire() + " (" + vm.reason() + ")");
                        }
                        return;
                    } catch (IOException e) {
                        // bound but not yet accepting: try again shortly
                    }
                }
                Thread.sleep(50);
            }
            vm.setKilling(true);
            p.destroyForcibly();
            task.fail("the worker did not answer within " + START_TIMEOUT_MS / 1000 + " s; killed it");
        } catch (Exception e) {
            vm.transition(VmState.CRASHED, "the worker could not be started: " + e.getMessage());
            task.fail("the worker could not be started: " + e.getMessage());
        }
    }

    /** The worker exit callback runs on another thread; a start that saw the death waits for its verdict. */
    private static void waitForExitHandled(final Vm vm) throws InterruptedException {
        for (int i = 0; i < 100 && vm.worker() != null; i++) {
            Thread.sleep(20);
        }
    }

    /** The worker is gone: the VM is stopped if its guest stopped itself or we killed it on purpose, else crashed. */
    private void workerExited(final Vm vm, final ProcessHandle handle, final Process child) {
        synchronized (vm) {
            if (vm.worker() == null || vm.worker().pid() != handle.pid()) {
                return; // an old worker's late news
            }
            final boolean killedOnPurpose = vm.killing();
            final Optional<WorkerExit> said = readExit(vm);
            vm.detach();
            cpuLimits.release(vm.name);
            if (said.isPresent() && !killedOnPurpose) {
                final WorkerExit e = said.get();
                vm.transition(e.clean() ? VmState.STOPPED : VmState.CRASHED, e.message());
            } else if (killedOnPurpose) {
                vm.transition(VmState.STOPPED, "force-stopped: the worker was killed (SIGKILL)");
            } else {
                vm.transition(VmState.CRASHED, "the worker process died: " + describeDeath(handle, child));
            }
        }
    }

    private static String describeDeath(final ProcessHandle handle, final Process child) {
        if (child == null) {
            return "pid " + handle.pid() + " ended without writing why (it was not the daemon's child, so its status"
                    + " is unknown)";
        }
        final int status = child.exitValue();
        return status > 128 ? "killed by signal " + (status - 128) + " (pid " + handle.pid() + ")"
                : "exit status " + status + " without a reason (pid " + handle.pid() + "; see worker.log)";
    }

    private static Optional<WorkerExit> readExit(final Vm vm) {
        try {
            return Files.exists(vm.dir.exit()) ? Optional.of(Json.read(vm.dir.exit(), WorkerExit.class))
                    : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * Stops a VM. Forced: SIGKILL to the worker, which cannot hang. Graceful: asks the guest to power off
     * (Magic SysRq s-u-o on the serial console), waits up to {@code graceSeconds} for it, then forces.
     */
    public Task stop(final String name, final boolean force, final int graceSeconds) throws VmmException {
        if (graceSeconds < 0 || graceSeconds > 3600) {
            throw new VmmException(VmmException.Kind.INVALID, "grace_seconds", "grace_seconds " + graceSeconds
                    + " is out of range 0..3600");
        }
        final Vm vm = vm(name);
        final Task task = newTask(force ? "force-stop" : "stop", name);
        final ProcessHandle worker;
        synchronized (vm) {
            vm.require(VmState.STOPPING, force ? "force-stop" : "stop");
            worker = vm.worker();
            vm.transition(VmState.STOPPING, force ? "force-stopping (SIGKILL to the worker)"
                    : "stopping: asked the guest to power off, grace " + graceSeconds + " s");
            if (force) {
                vm.setKilling(true);
            }
        }
        work.execute(() -> runStop(vm, worker, force, graceSeconds, task));
        return task;
    }

    private void runStop(final Vm vm, final ProcessHandle worker, final boolean force, final int grace,
                         final Task task) {
        try {
            if (worker == null) { // still being launched: the start task will see the state and give up
                vm.transition(VmState.STOPPED, "stopped before its worker ran");
                task.succeed();
                return;
            }
            if (!force) {
                try {
                    call(vm, WorkerProtocol.RESUME, Map.of()); // a paused guest cannot hear the request
                    call(vm, WorkerProtocol.POWERDOWN, Map.of());
                } catch (VmmException e) {
                    // a wedged worker: the grace period runs out and the SIGKILL follows
                }
                try {
                    worker.onExit().get(grace, TimeUnit.SECONDS);
                } catch (java.util.concurrent.TimeoutException e) {
                    synchronized (vm) {
                        vm.setKilling(true);
                        vm.transition(VmState.STOPPING, "stopping: the guest did not power off within " + grace
                                + " s; force-stopping");
                    }
                }
            }
            final Process child = vm.child();
            worker.destroyForcibly();
            // SIGKILL cannot be caught or delayed by the worker; wait for the kernel to take it down. A worker the
            // daemon did not start (found after a restart) is not our child: its exit is seen by polling.
            for (int i = 0; i < CALL_TIMEOUT_MS / 10 && worker.isAlive(); i++) {
                Thread.sleep(10);
            }
            workerExited(vm, worker, child); // at once, not when the JVM's exit watcher gets round to it
            task.succeed();
        } catch (Exception e) {
            task.fail("stop failed: " + e);
        }
    }

    public VmInfo pause(final String name) throws VmmException {
        final Vm vm = vm(name);
        synchronized (vm) {
            vm.require(VmState.PAUSED, "pause");
            final JsonNode r = call(vm, WorkerProtocol.PAUSE, Map.of());
            if (!r.path("ok").asBoolean()) {
                throw new VmmException(VmmException.Kind.FAILED, "cannot pause VM " + name + ": "
                        + r.path("error").asText());
            }
            vm.transition(VmState.PAUSED, "paused at instruction " + r.path("instructions").asLong());
        }
        return info(vm);
    }

    public VmInfo resume(final String name) throws VmmException {
        final Vm vm = vm(name);
        synchronized (vm) {
            if (vm.state() != VmState.PAUSED) {
                throw new VmmException(VmmException.Kind.CONFLICT, "cannot resume VM " + name + ": it is "
                        + vm.state().wire() + ", not paused");
            }
            call(vm, WorkerProtocol.RESUME, Map.of());
            vm.transition(VmState.RUNNING, "resumed");
        }
        return info(vm);
    }

    /** Types bytes into a running VM's console. */
    public void consoleInput(final String name, final byte[] bytes) throws VmmException {
        final Vm vm = vm(name);
        requireWorker(vm, "type into");
        final JsonNode r = call(vm, WorkerProtocol.INPUT, Map.of("data", Base64.getEncoder().encodeToString(bytes)));
        if (!r.path("ok").asBoolean()) {
            throw new VmmException(VmmException.Kind.FAILED, r.path("error").asText());
        }
    }

    /** Attaches to a running VM's console: recent output, then live output; what is written is typed in. */
    public SocketChannel openConsole(final String name) throws VmmException {
        final Vm vm = vm(name);
        requireWorker(vm, "attach to the console of");
        try {
            return WorkerProtocol.openConsole(vm.dir.socket());
        } catch (IOException e) {
            throw new VmmException(VmmException.Kind.FAILED, "cannot reach the worker of VM " + name + ": "
                    + e.getMessage());
        }
    }

    /** The console log file (the live one; the rotated one is beside it with the suffix .1). */
    public Path consoleLog(final String name) throws VmmException {
        return vm(name).dir.consoleLog();
    }

    private static void requireWorker(final Vm vm, final String verb) throws VmmException {
        final VmState s = vm.state();
        if (s != VmState.RUNNING && s != VmState.PAUSED) {
            throw new VmmException(VmmException.Kind.CONFLICT, "cannot " + verb + " VM " + vm.name + ": it is "
                    + s.wire());
        }
    }

    private JsonNode call(final Vm vm, final String op, final Map<String, Object> args) throws VmmException {
        final Map<String, Object> request = new java.util.HashMap<>(args);
        request.put("op", op);
        try {
            return WorkerProtocol.call(vm.dir.socket(), request, CALL_TIMEOUT_MS);
        } catch (IOException e) {
            throw new VmmException(VmmException.Kind.FAILED, "the worker of VM " + vm.name + " did not answer: "
                    + e.getMessage());
        }
    }

    // ---- daemon restart ----

    private void load() throws IOException {
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(home.resolve("vms"), Files::isDirectory)) {
            for (Path d : dirs) {
                final VmDir dir = new VmDir(d);
                if (!Files.exists(dir.config())) {
                    continue;
                }
                final VmConfig c;
                VmStatus s;
                try {
                    c = Json.read(dir.config(), VmConfig.class).withDefaults();
                    s = Files.exists(dir.status()) ? Json.read(dir.status(), VmStatus.class)
                            : new VmStatus("defined", Instant.now().toString(), "defined", null, null);
                } catch (IOException e) {
                    System.err.println("sublet: skipping " + d + ": " + e.getMessage());
                    continue;
                }
                final Vm vm = new Vm(dir, c, s, events);
                vms.put(c.name(), vm);
                if (vm.state().live()) {
                    reattach(vm, s);
                }
            }
        }
    }

    /** A VM that was live when the daemon stopped: its worker still runs (take it back), or it died meanwhile. */
    private void reattach(final Vm vm, final VmStatus s) {
        final Optional<ProcessHandle> p = s.pid() == null ? Optional.empty() : ProcessHandle.of(s.pid());
        final boolean same = p.isPresent() && p.get().isAlive() && (s.workerStarted() == null
                || p.get().info().startInstant().map(i -> i.toString().equals(s.workerStarted())).orElse(true));
        if (same) {
            try {
                final JsonNode r = WorkerProtocol.call(vm.dir.socket(), Map.of("op", WorkerProtocol.STATUS),
                        CALL_TIMEOUT_MS);
                vm.attach(p.get(), null);
                p.get().onExit().thenRun(() -> workerExited(vm, p.get(), null));
                final VmState now = r.path("paused").asBoolean() ? VmState.PAUSED : VmState.RUNNING;
                if (vm.state() != now) {
                    if (!vm.transition(now, "found again after a daemon restart")) {
                        vm.transition(VmState.CRASHED, "found in an inconsistent state after a daemon restart");
                    }
                }
                return;
            } catch (IOException e) {
                p.get().destroyForcibly();
                vm.transition(VmState.CRASHED, "its worker (pid " + s.pid() + ") did not answer after a daemon"
                        + " restart; killed it");
                return;
            }
        }
        final Optional<WorkerExit> said = readExit(vm);
        if (said.isPresent()) {
            vm.transition(said.get().clean() ? VmState.STOPPED : VmState.CRASHED, said.get().message()
                    + " (while the daemon was not running)");
        } else {
            vm.transition(VmState.CRASHED, "its worker (pid " + s.pid() + ") died while the daemon was not running");
        }
    }

    /** Closes the host's side; running VMs keep running and the next daemon finds them. */
    @Override
    public void close() {
        work.shutdownNow();
    }

    private static void deleteTree(final Path dir) throws VmmException {
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new VmmException(VmmException.Kind.FAILED, "cannot delete " + dir + ": " + e.getMessage());
        }
    }
}
