package io.sublet.dev;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sublet.mem.BusFault;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import org.junit.jupiter.api.Test;

class PlicTest {
    /** Two harts: contexts 0 (hart 0 M), 1 (hart 0 S), 2 (hart 1 M), 3 (hart 1 S). */
    private final RecordingLine[] ctx = RecordingLine.array(4);
    private final Plic plic = new Plic(ctx);

    private void priority(final int source, final int p) {
        plic.store(Plic.PRIORITY_BASE + 4L * source, 4, p);
    }

    private void enable(final int c, final int source) {
        final long at = Plic.ENABLE_BASE + Plic.ENABLE_STRIDE * c + 4L * (source / 32);
        plic.store(at, 4, plic.load(at, 4) | (1L << (source % 32)));
    }

    private void threshold(final int c, final int t) {
        plic.store(Plic.CONTEXT_BASE + Plic.CONTEXT_STRIDE * c, 4, t);
    }

    private int claim(final int c) {
        return (int) plic.load(Plic.CONTEXT_BASE + Plic.CONTEXT_STRIDE * c + Plic.CLAIM, 4);
    }

    private void complete(final int c, final int id) {
        plic.store(Plic.CONTEXT_BASE + Plic.CONTEXT_STRIDE * c + Plic.CLAIM, 4, id);
    }

    private long pendingWord(final int w) {
        return plic.load(Plic.PENDING_BASE + 4L * w, 4);
    }

    @Test
    void regionSizeMatchesQemu() {
        assertEquals(0x204000, Plic.size(4));
        assertEquals(95, Plic.NDEV);
    }

    @Test
    void priorityIsThreeBitsWarl() {
        priority(10, 0xff);
        assertEquals(7, plic.load(4 * 10, 4));
        priority(10, 9);
        assertEquals(1, plic.load(4 * 10, 4));
        priority(0, 5);
        assertEquals(0, plic.load(0, 4));
        priority(96, 5);
        assertEquals(0, plic.load(4 * 96, 4));
        assertEquals(0, plic.load(0xffc, 4));
    }

    @Test
    void pendingFollowsLevelAndIsReadOnly() {
        plic.source(1).set(true);
        plic.source(33).set(true);
        plic.source(95).set(true);
        assertEquals(0x2, pendingWord(0));
        assertEquals(0x2, pendingWord(1));
        assertEquals(0x8000_0000L, pendingWord(2));
        assertEquals(0, pendingWord(3));
        plic.store(Plic.PENDING_BASE, 4, 0);
        assertEquals(0x2, pendingWord(0));
        plic.source(1).set(false);
        assertEquals(0, pendingWord(0));
    }

    @Test
    void enableBitsPerContextWithSourceZeroHardwired() {
        plic.store(Plic.ENABLE_BASE + Plic.ENABLE_STRIDE, 4, 0xffff_ffffL);
        assertEquals(0xffff_fffeL, plic.load(Plic.ENABLE_BASE + Plic.ENABLE_STRIDE, 4));
        assertEquals(0, plic.load(Plic.ENABLE_BASE, 4));
        plic.store(Plic.ENABLE_BASE + Plic.ENABLE_STRIDE + 8, 4, 0xffff_ffffL);
        assertEquals(0xffff_ffffL, plic.load(Plic.ENABLE_BASE + Plic.ENABLE_STRIDE + 8, 4));
        plic.store(Plic.ENABLE_BASE + Plic.ENABLE_STRIDE + 12, 4, 0xffff_ffffL);
        assertEquals(0, plic.load(Plic.ENABLE_BASE + Plic.ENABLE_STRIDE + 12, 4));
        plic.store(Plic.ENABLE_BASE + Plic.ENABLE_STRIDE * 4, 4, 0xffff_ffffL); // context 4 does not exist
        assertEquals(0, plic.load(Plic.ENABLE_BASE + Plic.ENABLE_STRIDE * 4, 4));
    }

    @Test
    void thresholdIsThreeBitsWarl() {
        threshold(3, 0x1f);
        assertEquals(7, plic.load(Plic.CONTEXT_BASE + Plic.CONTEXT_STRIDE * 3, 4));
        threshold(4, 1);
        assertEquals(0, plic.load(Plic.CONTEXT_BASE + Plic.CONTEXT_STRIDE * 4, 4));
    }

    @Test
    void onlyWordAccesses() {
        assertThrows(BusFault.class, () -> plic.load(0, 8));
        assertThrows(BusFault.class, () -> plic.store(Plic.CONTEXT_BASE, 1, 0));
    }

    @Test
    void contextOutputNeedsEnableAndPriorityAboveThreshold() {
        plic.source(10).set(true);
        assertFalse(ctx[1].level());
        enable(1, 10);
        assertFalse(ctx[1].level(), "priority 0 never interrupts");
        priority(10, 1);
        assertTrue(ctx[1].level());
        assertFalse(ctx[0].level());
        threshold(1, 1);
        assertFalse(ctx[1].level());
        assertEquals(0, claim(1), "claim honours the threshold");
        threshold(1, 0);
        assertTrue(ctx[1].level());
        plic.source(10).set(false);
        assertFalse(ctx[1].level());
    }

    @Test
    void claimTakesHighestPriorityThenLowestId() {
        for (int s : new int[] {3, 5, 7}) {
            enable(0, s);
            plic.source(s).set(true);
        }
        priority(3, 2);
        priority(5, 4);
        priority(7, 4);
        assertEquals(5, claim(0));
        assertEquals(7, claim(0));
        assertEquals(3, claim(0));
        assertEquals(0, claim(0));
        assertFalse(ctx[0].level());
        assertEquals(3, plic.claims());
        assertEquals(1, plic.emptyClaims());
    }

    @Test
    void claimedSourceIsNotPendingUntilCompleted() {
        enable(1, 10);
        priority(10, 1);
        plic.source(10).set(true);
        assertEquals(10, claim(1));
        assertEquals(0, pendingWord(0));
        assertFalse(ctx[1].level());
        plic.source(10).set(false);
        plic.source(10).set(true);
        assertFalse(ctx[1].level(), "the gateway holds a new request until completion");
        complete(1, 10);
        assertTrue(ctx[1].level(), "still asserted after completion: pending again");
        assertEquals(10, claim(1));
        plic.source(10).set(false);
        complete(1, 10);
        assertFalse(ctx[1].level());
        assertEquals(0, pendingWord(0));
    }

    @Test
    void completionOfAnUnclaimedOrNotEnabledIdIsIgnored() {
        enable(1, 10);
        priority(10, 1);
        plic.source(10).set(true);
        assertEquals(10, claim(1));
        complete(1, 11);
        complete(1, 0);
        complete(1, 1000);
        complete(0, 10);    // context 0 does not have source 10 enabled
        assertFalse(ctx[1].level());
        complete(1, 10);
        assertTrue(ctx[1].level());
    }

    @Test
    void aClaimByOneContextWithdrawsTheSourceFromTheOthers() {
        enable(1, 10);
        enable(3, 10);
        priority(10, 1);
        plic.source(10).set(true);
        assertTrue(ctx[1].level());
        assertTrue(ctx[3].level());
        assertEquals(10, claim(3));
        assertFalse(ctx[1].level());
        assertEquals(0, claim(1));
        complete(3, 10);
        assertTrue(ctx[1].level());
    }

    @Test
    void sourceNumbersAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> plic.source(0));
        assertThrows(IllegalArgumentException.class, () -> plic.source(96));
    }

    @Test
    void saveAndRestore() {
        enable(1, 10);
        enable(2, 40);
        priority(10, 3);
        priority(40, 6);
        threshold(2, 2);
        plic.source(10).set(true);
        assertEquals(10, claim(1));
        final Plic.State s = plic.save();

        final RecordingLine[] lines = RecordingLine.array(4);
        final Plic copy = new Plic(lines);
        copy.restore(s);
        assertEquals(6, copy.load(4 * 40, 4));
        assertEquals(2, copy.load(Plic.CONTEXT_BASE + 2 * Plic.CONTEXT_STRIDE, 4));
        copy.source(10).set(true);
        assertFalse(lines[1].level(), "source 10 is still claimed");
        copy.source(40).set(true);
        assertTrue(lines[2].level());
        copy.store(Plic.CONTEXT_BASE + Plic.CONTEXT_STRIDE + Plic.CLAIM, 4, 10);
        assertTrue(lines[1].level());

        final int[] badPriority = s.priority().clone();
        badPriority[3] = 8;
        assertThrows(IllegalArgumentException.class, () -> copy.restore(
                new Plic.State(badPriority, s.enable(), s.threshold(), s.claimed())));
        final long[] badEnable = s.enable().clone();
        badEnable[1] |= 1L << 40;   // source 104
        assertThrows(IllegalArgumentException.class, () -> copy.restore(
                new Plic.State(s.priority(), badEnable, s.threshold(), s.claimed())));
        assertThrows(IllegalArgumentException.class, () -> new Plic(RecordingLine.array(2)).restore(s));
    }

    /**
     * Device threads toggle their sources while this thread claims and completes. Whatever the
     * interleaving, once every thread has left its line low and every claim is completed, nothing is
     * pending and every context output is low; a source left high is seen.
     */
    @Test
    void sourcesMayBeDrivenFromOtherThreads() throws Exception {
        final int threads = 4;
        for (int s = 1; s <= threads; s++) {
            priority(s, s);
            enable(0, s);
        }
        final CyclicBarrier start = new CyclicBarrier(threads + 1);
        final List<Thread> workers = new ArrayList<>();
        for (int s = 1; s <= threads; s++) {
            final IrqLine line = plic.source(s);
            final boolean endHigh = s == threads;
            final Thread t = new Thread(() -> {
                try {
                    start.await();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                for (int i = 0; i < 20_000; i++) {
                    line.set((i & 1) == 0);
                }
                line.set(endHigh);
            });
            t.start();
            workers.add(t);
        }
        start.await();
        for (int i = 0; i < 20_000; i++) {
            final int id = claim(0);
            if (id != 0) {
                complete(0, id);
            }
        }
        for (Thread t : workers) {
            t.join();
        }
        assertEquals(1L << threads, pendingWord(0));
        assertTrue(ctx[0].level());
        assertEquals(threads, claim(0));
        assertFalse(ctx[0].level());
        complete(0, threads);
        assertTrue(ctx[0].level());
        plic.source(threads).set(false);
        assertFalse(ctx[0].level());
        assertEquals(0, claim(0));
    }
}
