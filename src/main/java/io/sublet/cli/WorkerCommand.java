package io.sublet.cli;

import io.sublet.vmm.worker.WorkerMain;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code sublet worker DIR}: the process that runs one VM for {@code sublet serve}. Not for people; hidden. */
@Command(name = "worker", hidden = true, description = "Run one VM for the host daemon (started by sublet serve).")
public final class WorkerCommand implements Callable<Integer> {
    @ParentCommand
    private Main main;

    @Parameters(index = "0", paramLabel = "DIR", description = "the VM's directory under the daemon's home")
    private Path dir;

    @Override
    public Integer call() {
        return WorkerMain.run(dir, main.err);
    }
}
