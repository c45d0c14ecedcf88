package io.sublet.net;

import java.io.Closeable;
import java.nio.ByteBuffer;

/**
 * The host end of one network card: frames for the guest wait in {@link #received()}, frames from the
 * guest go out through {@link #sendBuffer()} and {@link #send()}. The NIC calls everything but
 * {@link #close()} on the hart thread; the backend's own threads (socket readers, other switch ports)
 * fill {@link #received()} and call the listener.
 *
 * <pre>
 *   ByteBuffer b = backend.sendBuffer();   // null: no room now; try again when the listener fires
 *   ... copy one frame into b from position 0 ...
 *   backend.send();                        // the frame is b's bytes [0, position)
 * </pre>
 *
 * A backend never throws at the NIC for network trouble: a frame it cannot deliver is counted as
 * dropped, a peer that went away shows as {@link #linkUp()} false.
 */
public interface NetBackend extends Closeable {
    /** Frames for the guest, oldest first; the NIC is this queue's only consumer. */
    FrameQueue received();

    /** A buffer for the next frame from the guest (capacity {@link Ethernet#MAX_FRAME}), or null when full. */
    ByteBuffer sendBuffer();

    /** Sends the frame written into the last {@link #sendBuffer()}. */
    void send();

    /** Runs (on any thread) when frames arrived, room to send appeared or the link changed. */
    void setListener(Runnable wake);

    /** Whether a peer is there: the NIC reports it to the guest as link status. */
    boolean linkUp();

    LinkCounters counters();

    /** What this backend is, for the monitor and errors ("passt, tcp 127.0.0.1:2222 -> 22"). */
    String describe();

    /** Stops the backend's threads and children; the NIC sends nothing more. Idempotent. */
    @Override
    void close();
}
