package io.sublet.mem;

/** Observes guest stores to watched RAM pages, for host-interface mailboxes such as HTIF's tohost. */
@FunctionalInterface
public interface StoreWatcher {
    void stored(long paddr);
}
