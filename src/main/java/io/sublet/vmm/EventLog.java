package io.sublet.vmm;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** The host's lifecycle events: a numbered sequence, the recent ones kept, delivered to subscribers in order. */
public final class EventLog {
    private static final int KEEP = 1000;
    private final ArrayDeque<VmEvent> recent = new ArrayDeque<>();
    private final List<Consumer<VmEvent>> subscribers = new CopyOnWriteArrayList<>();
    private long seq;

    synchronized VmEvent publish(final String vm, final VmState from, final String to, final String reason) {
        final VmEvent e = new VmEvent(++seq, Instant.now().toString(), vm, from == null ? null : from.wire(), to,
                reason);
        recent.addLast(e);
        if (recent.size() > KEEP) {
            recent.removeFirst();
        }
        for (Consumer<VmEvent> s : subscribers) {
            s.accept(e); // subscribers only queue the event; they never block here
        }
        return e;
    }

    /** The kept events after {@code afterSeq}, then every new one, to {@code subscriber}; close to stop. */
    public synchronized AutoCloseable subscribe(final long afterSeq, final Consumer<VmEvent> subscriber) {
        for (VmEvent e : recent) {
            if (e.seq() > afterSeq) {
                subscriber.accept(e);
            }
        }
        subscribers.add(subscriber);
        return () -> subscribers.remove(subscriber);
    }

    public synchronized List<VmEvent> since(final long afterSeq) {
        return recent.stream().filter(e -> e.seq() > afterSeq).toList();
    }
}
