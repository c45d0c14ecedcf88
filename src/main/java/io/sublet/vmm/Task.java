package io.sublet.vmm;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Long work (start, stop) that the API answers with an id at once; clients poll it or wait on it (Proxmox's UPID). */
public final class Task {
    public enum State { RUNNING, SUCCEEDED, FAILED }

    private final String id;
    private final String kind;
    private final String vm;
    private final Instant created = Instant.now();
    private final CountDownLatch done = new CountDownLatch(1);
    private volatile State state = State.RUNNING;
    private volatile String error;
    private volatile Instant finished;

    Task(final String id, final String kind, final String vm) {
        this.id = id;
        this.kind = kind;
        this.vm = vm;
    }

    void succeed() {
        finished = Instant.now();
        state = State.SUCCEEDED;
        done.countDown();
    }

    void fail(final String why) {
        error = why;
        finished = Instant.now();
        state = State.FAILED;
        done.countDown();
    }

    /** Waits up to the timeout for the task to finish; returns whether it has. */
    public boolean await(final long timeout, final TimeUnit unit) throws InterruptedException {
        return done.await(timeout, unit);
    }

    public String id() {
        return id;
    }

    public State state() {
        return state;
    }

    public String error() {
        return error;
    }

    /** The task as the API shows it. */
    public View view() {
        final Instant f = finished;
        return new View(id, kind, vm, state.name().toLowerCase(java.util.Locale.ROOT), created.toString(),
                f == null ? null : f.toString(), error);
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record View(@JsonProperty("id") String id, @JsonProperty("kind") String kind, @JsonProperty("vm") String vm,
                       @JsonProperty("state") String state, @JsonProperty("created") String created,
                       @JsonProperty("finished") String finished, @JsonProperty("error") String error) { }
}
