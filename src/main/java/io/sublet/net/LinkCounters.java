package io.sublet.net;

/**
 * Traffic of one backend or switch port, seen from the guest: frames and bytes delivered to it and sent
 * by it, and frames dropped on the way (no room, too large, no peer, over the rate limit).
 */
public record LinkCounters(long framesToGuest, long bytesToGuest, long framesFromGuest, long bytesFromGuest,
                           long dropped) {
    @Override
    public String toString() {
        return String.format("rx %d frames %d bytes, tx %d frames %d bytes, %d dropped", framesToGuest, bytesToGuest,
                framesFromGuest, bytesFromGuest, dropped);
    }
}
