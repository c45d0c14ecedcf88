package io.sublet.cli;

import io.sublet.cpu.Hart;
import io.sublet.dev.HostOutput;
import io.sublet.machine.ExitReason;
import io.sublet.machine.StopDeadline;
import io.sublet.machine.VirtMachine;
import io.sublet.machine.snapshot.SnapshotException;
import io.sublet.machine.snapshot.SnapshotFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The small monitor behind {@code Ctrl-A c}: a line prompt on the console while the guest keeps
 * running. Commands: {@code info registers}, {@code info devices}, {@code savevm FILE}, {@code loadvm [-f] FILE},
 * {@code quit}, {@code help}. It runs on the console input thread and never waits there: its text goes
 * into the console's host output alongside the guest's (and is dropped while the terminal does not
 * drain), {@code quit} is a stop request, and savevm/loadvm, which wait for the run loop and write or read
 * a whole snapshot, run on a thread of their own, so that {@code Ctrl-A x} still works meanwhile.
 */
final class Monitor {
    private static final String[] ABI = {
        "zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "s0", "s1", "a0", "a1", "a2", "a3", "a4", "a5",
        "a6", "a7", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6",
    };

    /** The machine typed commands go to; a loadvm replaces it with the restored one. */
    private volatile VirtMachine machine;
    private final StopDeadline stop;
    private final StringBuilder line = new StringBuilder();
    /** The savevm or loadvm under way, or null. */
    private volatile Thread job;

    Monitor(VirtMachine machine, StopDeadline stop) {
        this.machine = machine;
        this.stop = stop;
    }

    /** After a loadvm: commands go to the machine that took over. */
    void attach(VirtMachine next) {
        this.machine = next;
    }

    void open() {
        print("\r\n(sublet monitor: 'help' for commands, Ctrl-A c to return to the guest)\r\n(sublet) ");
        line.setLength(0);
    }

    /** Operator text onto the console, without waiting: what does not fit is dropped. */
    void print(String text) {
        final byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        output().write(bytes, 0, bytes.length);
    }

    private HostOutput output() {
        return machine.consoleOutput();
    }

    private void printf(String format, Object... args) {
        print(String.format(format, args));
    }

    /** Feeds one typed byte (raw mode: we echo). */
    void feed(int b) {
        if (b == '\r' || b == '\n') {
            print("\r\n");
            execute(line.toString().trim());
            line.setLength(0);
            print("(sublet) ");
        } else if (b == 0x7f || b == 8) {
            if (line.length() > 0) {
                line.setLength(line.length() - 1);
                print("\b \b");
            }
        } else if (b >= 0x20 && b < 0x7f) {
            line.append((char) b);
            output().write(b);
        }
    }

    void execute(String command) {
        final String verb = command.split("\\s+", 2)[0];
        if (verb.equals("savevm") || verb.equals("loadvm")) {
            final Thread running = job;
            if (running != null && running.isAlive()) {
                print(verb + ": the last savevm or loadvm is still under way\r\n");
                return;
            }
            final Thread t = new Thread(() -> snapshot(command), "sublet-monitor-" + verb);
            t.setDaemon(true);
            job = t;
            t.start();
            return;
        }
        switch (command) {
            case "":
                break;
            case "info registers":
            case "info r":
                registers(machine.hart());
                break;
            case "info devices":
                for (String d : machine.describe()) {
                    print(d + "\r\n");
                }
                break;
            case "info jit":
                print((machine.engineReport() == null ? "the interpreter runs this machine (--engine jit translates)"
                        : machine.engineReport()) + "\r\n");
                break;
            case "quit":
            case "q":
                stop.request(ExitReason.quit());
                break;
            case "help":
                print("info registers   pc, privilege, integer registers, key CSRs\r\n"
                        + "info devices     the memory map, console counters (overruns, lost bytes)\r\n"
                        + "info jit         how much runs translated, and what the translator made\r\n"
                        + "savevm FILE      snapshot the whole machine (RAM, harts, devices) into FILE\r\n"
                        + "loadvm [-f] FILE go back to the snapshot in FILE (-f: even if a disk changed since)\r\n"
                        + "quit             stop the VM and exit (again while stopping: at once)\r\n");
                break;
            default:
                print("unknown command: " + command + " (try 'help')\r\n");
        }
    }

    private void snapshot(String command) {
        final String[] words = command.split("\\s+");
        final boolean load = words[0].equals("loadvm");
        final boolean force = load && words.length == 3 && words[1].equals("-f");
        if (words.length != (force ? 3 : 2)) {
            print("usage: " + (load ? "loadvm [-f] FILE" : "savevm FILE") + "\r\n");
            return;
        }
        final Path file = Path.of(words[words.length - 1]);
        try {
            if (load) {
                final VirtMachine next = machine.loadSnapshot(file, force);
                final byte[] said = ("restored " + file + "\r\n").getBytes(StandardCharsets.UTF_8);
                next.consoleOutput().write(said, 0, said.length); // this machine's console is closing
            } else {
                final long started = System.nanoTime();
                final SnapshotFile.Written w = machine.saveSnapshot(file);
                printf("saved %s: %d MiB of RAM in %d KiB (%d zero pages skipped), %d ms\r\n", file,
                        (w.storedPages() + w.zeroPages()) * 4096 >> 20, w.storedPages() * 4, w.zeroPages(),
                        (System.nanoTime() - started) / 1_000_000);
            }
        } catch (SnapshotException e) {
            print("loadvm: " + e.getMessage() + "\r\n");
        } catch (IOException e) {
            print("savevm: " + file + ": " + e.getMessage() + "\r\n");
        }
    }

    /** Waits for the savevm or loadvm under way, if any (for tests). */
    void awaitJob() throws InterruptedException {
        final Thread t = job;
        if (t != null) {
            t.join();
        }
    }

    /** A snapshot taken from another thread while the hart runs: consistent enough to read, not atomic. */
    private void registers(Hart hart) {
        printf("pc  %016x  priv %s  instret %d\r\n", hart.pc, io.sublet.cpu.Priv.name(hart.priv()), hart.retiredTotal());
        for (int r = 0; r < 32; r += 4) {
            for (int k = r; k < r + 4; k++) {
                printf("%-4s %016x  ", ABI[k], hart.x[k]);
            }
            print("\r\n");
        }
        printf("mstatus %016x  mcause %016x  mepc %016x  scause %016x  sepc %016x  satp %016x\r\n",
                hart.csrs().mstatus(), hart.csrs().mcause(), hart.csrs().mepc(), hart.csrs().scause(),
                hart.csrs().sepc(), hart.csrs().satp());
    }
}
