package io.sublet.dev;

import static io.sublet.dev.Uart16550.FCR;
import static io.sublet.dev.Uart16550.IER;
import static io.sublet.dev.Uart16550.IER_ERBFI;
import static io.sublet.dev.Uart16550.LSR_BI;
import static io.sublet.dev.Uart16550.LSR_DR;
import static io.sublet.dev.Uart16550.IIR;
import static io.sublet.dev.Uart16550.LCR;
import static io.sublet.dev.Uart16550.LSR;
import static io.sublet.dev.Uart16550.MCR;
import static io.sublet.dev.Uart16550.MSR;
import static io.sublet.dev.Uart16550.RBR;
import static io.sublet.dev.Uart16550.SCR;
import static io.sublet.dev.Uart16550.THR;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class Uart16550Test {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final HostOutput host = new HostOutput(out);
    private final RecordingLine irq = new RecordingLine();
    private final Uart16550 uart = new Uart16550(host, irq, 64);

    /** What reached the host stream: the test plays the host's writer thread. */
    private String printed() {
        host.drain();
        return out.toString(StandardCharsets.US_ASCII);
    }

    private int in(final int reg) {
        return (int) uart.load(reg, 1);
    }

    private void out(final int reg, final int value) {
        uart.store(reg, 1, value);
    }

    private void type(final String s) {
        for (byte b : s.getBytes(StandardCharsets.US_ASCII)) {
            assertTrue(uart.offer(b));
        }
        uart.update();
    }

    @Test
    void resetValues() {
        assertEquals(0x00, in(IER));
        assertEquals(0x01, in(IIR));
        assertEquals(0x00, in(LCR));
        assertEquals(0x00, in(MCR));
        assertEquals(0x60, in(LSR));
        assertEquals(0xb0, in(MSR));
        assertEquals(0x00, in(SCR));
        assertEquals(0, in(8));
        assertFalse(irq.level());
    }

    @Test
    void transmitGoesToTheOutputAtOnce() {
        for (byte b : "hi\n".getBytes(StandardCharsets.US_ASCII)) {
            out(THR, b);
            assertEquals(0x60, in(LSR) & 0x60, "THRE and TEMT stay set");
        }
        assertEquals("hi\n", printed());
        assertEquals(3, uart.bytesOut());
    }

    @Test
    void dlabSwitchesOffsetsZeroAndOne() {
        out(LCR, 0x83);
        out(RBR, 0x01);
        out(IER, 0x02);
        assertEquals(0x01, in(RBR));
        assertEquals(0x02, in(IER));
        assertEquals("", printed(), "a divisor write is not a transmit");
        out(LCR, 0x03);
        assertEquals(0, in(IER));
        out(LCR, 0x83);
        assertEquals(0x01, in(RBR));
        assertEquals(0x83, in(LCR));
    }

    @Test
    void scratchAndMcrAndIerWidths() {
        out(SCR, 0xa5);
        assertEquals(0xa5, in(SCR));
        out(MCR, 0xff);
        assertEquals(0x1f, in(MCR));
        out(IER, 0xff);
        assertEquals(0x0f, in(IER), "the 8250 probe rejects UARTs that keep IER bit 6");
    }

    @Test
    void fifoEnableShowsInIir() {
        out(FCR, 0x01);
        assertEquals(0xc1, in(IIR));
        out(FCR, 0x21);   // 64-byte FIFO request: a 16550A keeps IIR bit 5 clear
        assertEquals(0xc1, in(IIR));
        out(FCR, 0x00);
        assertEquals(0x01, in(IIR));
    }

    @Test
    void thrEmptyInterruptAsTheLinuxDriverUsesIt() {
        out(FCR, 0x01);
        out(IER, Uart16550.IER_ETBEI);
        assertTrue(irq.level(), "enabling ETBEI while THR is empty raises THRE");
        assertEquals(0xc2, in(IIR));
        assertFalse(irq.level(), "reading IIR while it reports THRE clears it");
        assertEquals(0xc1, in(IIR));
        out(THR, 'a');
        assertTrue(irq.level(), "THR empties again at once");
        assertEquals(0xc2, in(IIR));
        // serial8250_do_startup's THRE test: IER=0 then THRI again must re-assert.
        out(IER, 0);
        out(IER, Uart16550.IER_ETBEI);
        assertEquals(0xc2, in(IIR));
        // Writing ETBEI again while it is set is no new edge.
        out(IER, Uart16550.IER_ETBEI);
        assertEquals(0xc1, in(IIR));
        // Clearing ETBEI cancels a pending THRE.
        out(THR, 'b');
        assertTrue(irq.level());
        out(IER, 0);
        assertFalse(irq.level());
        out(IER, Uart16550.IER_ETBEI);
        out(IER, 0);
        assertEquals(0xc1, in(IIR));
    }

    @Test
    void receiveWithoutFifo() {
        out(IER, Uart16550.IER_ERBFI);
        type("xy");
        assertEquals(0x61, in(LSR));
        assertTrue(irq.level());
        assertEquals(0x04, in(IIR));
        assertEquals('x', in(RBR));
        assertEquals(0x61, in(LSR), "the next byte moves in as the holding register empties");
        assertEquals('y', in(RBR));
        assertEquals(0x60, in(LSR));
        assertFalse(irq.level());
        assertEquals(0x01, in(IIR));
        assertEquals(2, uart.bytesIn());
    }

    @Test
    void receiveFifoTriggerLevelAndTimeout() {
        out(FCR, 0x81);   // FIFO on, trigger 8
        out(IER, Uart16550.IER_ERBFI);
        type("abcd");
        assertTrue(irq.level());
        assertEquals(0xcc, in(IIR), "below the trigger: character timeout");
        type("efgh");
        assertEquals(0xc4, in(IIR), "at the trigger: data available");
        final StringBuilder got = new StringBuilder();
        while ((in(LSR) & Uart16550.LSR_DR) != 0) {
            got.append((char) in(RBR));
        }
        assertEquals("abcdefgh", got.toString());
        assertFalse(irq.level());
    }

    @Test
    void inputBeyondTheFifoWaitsInTheHostQueueWithoutLoss() {
        out(FCR, 0x01);
        final String text = "0123456789abcdefghijklmnop";   // 26 bytes, FIFO holds 16
        type(text);
        assertEquals(10, uart.hostQueued());
        final StringBuilder got = new StringBuilder();
        while ((in(LSR) & Uart16550.LSR_DR) != 0) {
            got.append((char) in(RBR));
        }
        assertEquals(text, got.toString());
        assertEquals(0, uart.hostQueued());
        assertEquals(0, in(LSR) & Uart16550.LSR_OE);
    }

    @Test
    void hostQueueIsBounded() {
        final Uart16550 small = new Uart16550(host, irq, 4);
        for (int i = 0; i < 4; i++) {
            assertTrue(small.offer(i));
        }
        assertFalse(small.offer(4), "the FIFO has not drained the queue yet: dropped");
        assertEquals(1, small.overruns());
        assertEquals(1, small.update(), "without FIFOs the holding register takes one byte");
        assertTrue(small.offer(5));
        assertEquals(0, small.receive(new byte[] {6, 7}), "full again: both dropped, none waited");
        assertEquals(3, small.overruns());
    }

    @Test
    void aGuestThatDoesNotReadSeesAnOverrunThenTheBytesThatFit() {
        out(FCR, 0x01);
        out(IER, Uart16550.IER_ERBFI | Uart16550.IER_ELSI);
        final byte[] burst = new byte[200];
        for (int i = 0; i < burst.length; i++) {
            burst[i] = (byte) i;
        }
        assertEquals(64, uart.receive(burst), "the host queue takes 64 bytes and waits for nobody");
        uart.update();
        final byte[] later = new byte[49];
        Arrays.fill(later, (byte) 0xaa);
        assertEquals(16, uart.receive(later), "the FIFO took 16 of the 64: room for 16 more");
        assertEquals(200 - 64 + 49 - 16, uart.overruns(), "every byte that found no room is counted");
        assertEquals(0xc6, in(IIR), "line status first: the overrun");
        final int lsr = in(LSR);
        assertEquals(Uart16550.LSR_OE | Uart16550.LSR_DR, lsr & (Uart16550.LSR_OE | Uart16550.LSR_DR));
        assertEquals(0, in(LSR) & Uart16550.LSR_OE, "reading LSR clears OE");
        for (int i = 0; i < 64; i++) {
            assertEquals(i, in(RBR), "the first bytes, in order");
        }
        for (int i = 0; i < 16; i++) {
            assertEquals(0xaa, in(RBR), "then the 16 that came after the FIFO took its share");
        }
        assertEquals(0, in(LSR) & Uart16550.LSR_DR);
        assertEquals(0, in(LSR) & Uart16550.LSR_OE, "no new loss: no new overrun");
    }

    @Test
    void aStalledHostMakesTheTransmitterBusyAndTheHartNeverWaits() {
        final ByteArrayOutputStream sink = new ByteArrayOutputStream();
        final HostOutput tiny = new HostOutput(sink, 8);
        final Uart16550 u = new Uart16550(tiny, irq);
        u.store(FCR, 1, 0x01);
        u.store(IER, 1, Uart16550.IER_ETBEI);
        assertEquals(Uart16550.IIR_THRI, u.load(IIR, 1) & 0x0f);
        for (int i = 0; i < 8; i++) {
            u.store(THR, 1, 'a' + i);
        }
        assertEquals(0x60, u.load(LSR, 1) & 0x60, "the host took all 8: THRE and TEMT");
        u.store(THR, 1, 'i');
        assertEquals(0, u.load(LSR, 1) & 0x60, "the host is full: busy transmitter, THRE and TEMT clear");
        assertEquals(Uart16550.IIR_NONE, u.load(IIR, 1) & 0x0f, "no THR empty interrupt while busy");
        assertFalse(irq.level());
        for (int i = 1; i < Uart16550.FIFO_SIZE; i++) {
            u.store(THR, 1, 'j');
        }
        assertEquals(Uart16550.FIFO_SIZE, u.transmitQueued());
        u.store(THR, 1, '!');
        assertEquals(1, u.transmitLost(), "a write to a full transmit FIFO is lost, as on a 16550");
        u.update();
        assertEquals(0, u.load(LSR, 1) & 0x60, "still busy: nobody drained the host");

        assertEquals(8, tiny.drain(), "the host's writer catches up");
        u.update();
        assertEquals(0, u.load(LSR, 1) & 0x60, "8 of the 16 waiting bytes left; 8 still wait");
        tiny.drain();
        u.update();
        assertEquals(0x60, u.load(LSR, 1) & 0x60, "all gone: THR empty again");
        assertTrue(irq.level(), "and the THR empty interrupt says so");
        tiny.drain();
        assertEquals("abcdefghi" + "j".repeat(Uart16550.FIFO_SIZE - 1), sink.toString(StandardCharsets.US_ASCII));
        assertEquals(8 + Uart16550.FIFO_SIZE, u.bytesOut());
    }

    @Test
    void aFifoResetDiscardsWhatWaitsToBeSent() {
        final HostOutput none = new HostOutput(new ByteArrayOutputStream(), 1);
        final Uart16550 u = new Uart16550(none, irq);
        u.store(FCR, 1, 0x01);
        u.store(THR, 1, 'a');
        u.store(THR, 1, 'b');
        u.store(THR, 1, 'c');
        assertEquals(2, u.transmitQueued());
        u.store(FCR, 1, 0x01 | Uart16550.FCR_CLEAR_TX);
        assertEquals(0, u.transmitQueued());
        assertEquals(2, u.transmitLost());
        assertEquals(0x60, u.load(LSR, 1) & 0x60);
    }

    @Test
    void inputListenerIsToldOfNewInput() {
        final AtomicInteger told = new AtomicInteger();
        uart.setInputListener(told::incrementAndGet);
        uart.offer('a');
        uart.receive(new byte[] {'b', 'c'});
        assertEquals(2, told.get(), "once per offer, not per byte");
        assertEquals(3, uart.hostQueued());
    }

    @Test
    void clearingTheReceiveFifo() {
        out(FCR, 0x01);
        type("abc");
        out(FCR, 0x03);
        assertEquals(0x60, in(LSR));
    }

    @Test
    void loopbackAsTheKernelProbesIt() {
        out(MCR, Uart16550.MCR_LOOP | 0x0a);
        assertEquals(0x90, in(MSR) & 0xf0, "CTS from RTS, DCD from OUT2");
        out(MCR, Uart16550.MCR_LOOP | 0x05);
        assertEquals(0x60, in(MSR) & 0xf0, "DSR from DTR, RI from OUT1");
        out(MCR, 0);
        assertEquals(0xb0, in(MSR) & 0xf0);
    }

    @Test
    void loopbackSendsTransmitToReceiveAndDisconnectsTheHost() {
        out(FCR, 0x01);
        out(MCR, Uart16550.MCR_LOOP);
        uart.offer('h');
        uart.update();
        out(THR, 'L');
        assertEquals("", printed());
        assertEquals('L', in(RBR));
        assertEquals(0x60, in(LSR), "host input waits while in loopback");
        out(MCR, 0);
        assertEquals('h', in(RBR));
    }

    @Test
    void loopbackOverrunIsALineStatusInterrupt() {
        out(MCR, Uart16550.MCR_LOOP);
        out(IER, Uart16550.IER_ELSI | Uart16550.IER_ERBFI);
        out(THR, '1');
        out(THR, '2');   // no FIFO: the holding register is full
        assertTrue(irq.level());
        assertEquals(0x06, in(IIR), "line status outranks received data");
        assertEquals(0x63, in(LSR));
        assertEquals(0x04, in(IIR));
        assertEquals(0x61, in(LSR), "OE clears when LSR is read");
        assertEquals('1', in(RBR));
        assertFalse(irq.level());
    }

    @Test
    void modemStatusDeltasAndInterrupt() {
        out(IER, Uart16550.IER_EDSSI);
        assertFalse(irq.level());
        out(MCR, Uart16550.MCR_LOOP | Uart16550.MCR_OUT1);   // CTS, DSR, DCD fall; RI rises
        assertTrue(irq.level());
        assertEquals(0x00, in(IIR));
        assertEquals(0x40 | Uart16550.MSR_DCTS | Uart16550.MSR_DDSR | Uart16550.MSR_DDCD, in(MSR));
        assertFalse(irq.level());
        assertEquals(0x40, in(MSR));
        out(MCR, Uart16550.MCR_LOOP);                         // RI falls: trailing edge
        assertEquals(Uart16550.MSR_TERI, in(MSR));
        out(MCR, Uart16550.MCR_LOOP | Uart16550.MCR_OUT1);   // RI rises: no delta
        assertEquals(0x40, in(MSR));
    }

    @Test
    void interruptPriorityReceiveOverThre() {
        out(IER, Uart16550.IER_ERBFI | Uart16550.IER_ETBEI);
        type("z");
        assertEquals(0x04, in(IIR));
        in(RBR);
        assertEquals(0x02, in(IIR), "THRE shows once received data is read");
        assertEquals(0x01, in(IIR));
    }

    /** The checks of Linux's 8250 autoconfig() and autoconfig_16550a() that decide "16550A". */
    @Test
    void linuxAutoconfigFindsA16550A() {
        out(IER, 0);
        assertEquals(0, in(IER) & 0x0f);
        out(IER, 0x0f);
        assertEquals(0x0f, in(IER) & 0x0f);
        out(IER, 0);
        final int saveMcr = in(MCR);
        out(MCR, Uart16550.MCR_LOOP | 0x0a);
        assertEquals(0x90, in(MSR) & 0xf0);
        out(MCR, saveMcr);
        out(LCR, 0xbf);
        out(FCR, 0x01);
        assertEquals(3, in(IIR) >> 6, "FIFO present");
        out(LCR, 0x80);
        assertTrue(in(IIR) != 0, "no EFR behind DLAB (not an ST16C650V1)");
        out(LCR, 0xbf);
        assertTrue(in(IIR) != 0, "no EFR behind 0xBF (not an ST16C650V2)");
        out(LCR, 0);
        final int mcr = in(MCR);
        out(LCR, 0xe0);
        final int excr1 = in(2);
        out(LCR, 0);
        out(MCR, mcr ^ Uart16550.MCR_LOOP);
        out(LCR, 0xe0);
        assertEquals(0, (in(2) ^ excr1) & Uart16550.MCR_LOOP, "not a National SuperIO");
        out(LCR, 0);
        out(MCR, mcr);
        out(FCR, 0x21);
        assertEquals(0xc0, in(IIR) & 0xe0, "not a 16750 (64-byte FIFO bit stays clear)");
        out(FCR, 0);
        out(LCR, 0x80);
        out(FCR, 0x21);
        assertEquals(0xc0, in(IIR) & 0xe0);
        out(FCR, 0);
        out(LCR, 0);
        out(IER, 0x40);
        assertEquals(0, in(IER) & 0x40, "not an XScale");
    }

    @Test
    void widerAccessesActOnTheLowByte() {
        uart.store(SCR, 4, 0x1234_5678);
        assertEquals(0x78, uart.load(SCR, 4));
        uart.store(THR, 8, 'w');
        assertEquals("w", printed());
    }

    @Test
    void outputErrorsAreCountedNotThrown() {
        final OutputStream broken = new OutputStream() {
            @Override
            public void write(final int b) throws IOException {
                throw new IOException("closed");
            }
        };
        final HostOutput closed = new HostOutput(broken);
        final Uart16550 u = new Uart16550(closed, irq);
        u.store(THR, 1, 'x');
        closed.drain();
        assertEquals(1, closed.errors());
        assertEquals(0x60, u.load(LSR, 1) & 0x60, "the guest keeps going");
    }

    @Test
    void saveAndRestore() {
        out(LCR, 0x83);
        out(RBR, 0x0c);
        out(LCR, 0x03);
        out(FCR, 0x41);
        out(IER, Uart16550.IER_ERBFI);
        out(SCR, 0x5a);
        type("ab");
        final Uart16550.State s = uart.save();
        assertArrayEquals(new byte[] {'a', 'b'}, s.rx());

        final RecordingLine irq2 = new RecordingLine();
        final Uart16550 copy = new Uart16550(new HostOutput(new ByteArrayOutputStream()), irq2);
        copy.restore(s);
        assertTrue(irq2.level());
        assertEquals(0xcc, copy.load(IIR, 1), "two bytes below trigger 4");
        assertEquals(0x5a, copy.load(SCR, 1));
        assertEquals('a', copy.load(RBR, 1));
        assertEquals('b', copy.load(RBR, 1));
        assertFalse(irq2.level());

        assertThrows(IllegalArgumentException.class, () -> copy.restore(new Uart16550.State(0x10, 0, 0, 0, 0, 0,
                false, 1, 0, 0, false, new byte[0], 0, new byte[0])));
        assertThrows(IllegalArgumentException.class, () -> copy.restore(new Uart16550.State(0, 0, 0, 0, 0, 0,
                false, 1, 0, 0, false, new byte[2], 0, new byte[0])));
        assertThrows(IllegalArgumentException.class, () -> copy.restore(new Uart16550.State(0, 0, 0, 0, 0, 0,
                false, 1, 0, 0, false, new byte[0], 0, new byte[2])), "two bytes to send without a FIFO");
    }

    @Test
    void breakArrivesAsAZeroByteWithBreakInterruptAheadOfLaterInput() {
        out(IER, IER_ERBFI);
        uart.sendBreak();
        assertTrue(uart.breakPending());
        uart.update();
        assertFalse(uart.breakPending(), "the break entered the empty FIFO");
        type("o");
        assertTrue(irq.level());
        assertEquals(LSR_DR | LSR_BI | 0x60, in(LSR), "the head character is a break");
        assertEquals(0, in(RBR));
        assertEquals(LSR_DR | 0x60, in(LSR), "BI goes with its character; the next one is plain");
        assertEquals('o', in(RBR));
        assertEquals(0x60, in(LSR));
    }

    @Test
    void breakWaitsForTheFifoToEmpty() {
        type("ab");
        uart.sendBreak();
        uart.update();
        assertTrue(uart.breakPending(), "a break is never mixed into unread input");
        assertEquals('a', in(RBR));
        assertEquals('b', in(RBR));
        uart.update();
        assertEquals(LSR_DR | LSR_BI | 0x60, in(LSR));
    }
}
