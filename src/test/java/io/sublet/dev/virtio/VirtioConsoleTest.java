package io.sublet.dev.virtio;

import static io.sublet.dev.virtio.VirtioConsole.RECEIVEQ;
import static io.sublet.dev.virtio.VirtioConsole.TRANSMITQ;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sublet.dev.HostOutput;
import io.sublet.dev.virtio.TestDriver.Buf;
import io.sublet.mem.Ram;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** virtio-console end to end: guest output to a stream, host input into receive buffers. */
class VirtioConsoleTest {
    private final Ram ram = TestDriver.newRam();
    private final Line irq = new Line();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final HostOutput host = new HostOutput(out);
    private VirtioConsole console = new VirtioConsole(host, 16, 0, 0);
    private VirtioMmio dev = new VirtioMmio(console, new GuestMemory(ram), irq);
    private TestDriver driver = new TestDriver(ram, dev);

    private static byte[] ascii(final String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** What reached the host stream: the test plays the host's writer thread. */
    private String printed() {
        host.drain();
        return out.toString(StandardCharsets.US_ASCII);
    }

    private TestDriver.Queue[] start() {
        return driver.start(driver.deviceFeatures(), 2, 8);
    }

    @Test
    void identityAndConfig() {
        assertEquals(Virtio.ID_CONSOLE, dev.load(VirtioMmio.DEVICE_ID, 4));
        assertEquals(VirtioConsole.F_EMERG_WRITE, driver.deviceFeatures() & 0xff_ffff, "no size given: no SIZE");
        assertEquals(1, dev.load(VirtioMmio.CONFIG + 4, 4), "one port");
    }

    @Test
    void outputGoesToTheStream() {
        final TestDriver.Queue tx = start()[TRANSMITQ];
        final long a = driver.alloc(64);
        driver.put(a, ascii("hello, "));
        driver.put(a + 32, ascii("world\n"));
        tx.submit(Buf.in(a, 7), Buf.in(a + 32, 6));
        assertEquals("hello, world\n", printed());
        assertEquals(new TestDriver.Used(0, 0), tx.one(), "nothing written into an output buffer");
        assertEquals(13, console.counters().bytesFromGuest());
    }

    @Test
    void inputWaitsForReceiveBuffersAndArrivesOnUpdate() {
        final TestDriver.Queue rx = start()[RECEIVEQ];
        final AtomicInteger wakeups = new AtomicInteger();
        console.setInputListener(wakeups::incrementAndGet);
        for (byte b : ascii("ls\n")) {
            assertTrue(console.offer(b));
        }
        assertEquals(3, wakeups.get());
        assertEquals(0, dev.update(), "no receive buffer yet");
        assertEquals(3, console.hostQueued());
        final long a = driver.alloc(2);
        final long b = driver.alloc(64);
        rx.submit(Buf.out(a, 2)); // adding a buffer delivers at once
        assertEquals(new TestDriver.Used(0, 2), rx.one());
        assertArrayEquals(ascii("ls"), driver.get(a, 2));
        rx.publish(rx.chain(Buf.out(b, 64)));
        assertEquals(1, dev.update());
        assertEquals(new TestDriver.Used(1, 1), rx.one());
        assertEquals('\n', driver.u8(b));
        assertEquals(0, console.hostQueued());
        assertEquals(0, dev.update(), "the buffer is kept for the next input");
        assertTrue(irq.level());
    }

    @Test
    void aFullHostQueueDropsInputAndCountsIt() {
        start();
        for (int i = 0; i < 16; i++) {
            assertTrue(console.offer('x'));
        }
        assertFalse(console.offer('y'));
        assertEquals(2, console.receive(ascii("zzzz"), 0, 4) + 2, "none of 4 fit: all dropped, nothing waits");
        assertEquals(5, console.inputDropped());
    }

    @Test
    void inputWaitsForAReceiveBufferUpToTheBound() {
        final TestDriver.Queue rx = start()[RECEIVEQ];
        assertEquals(16, console.receive(ascii("0123456789abcdefXYZ")), "16 fit, 3 dropped");
        final long a = driver.alloc(32);
        rx.submit(Buf.out(a, 32));
        assertEquals(16, rx.one().len());
        assertArrayEquals(ascii("0123456789abcdef"), driver.get(a, 16), "the first bytes, the ones that fit");
        assertEquals(3, console.inputDropped());
    }

    @Test
    void aStalledHostKeepsTransmitBuffersUntilThereIsRoom() {
        final ByteArrayOutputStream sink = new ByteArrayOutputStream();
        final HostOutput tiny = new HostOutput(sink, 8);
        console = new VirtioConsole(tiny);
        dev = new VirtioMmio(console, new GuestMemory(ram), irq);
        driver = new TestDriver(ram, dev);
        final TestDriver.Queue tx = start()[TRANSMITQ];
        final long a = driver.alloc(16);
        driver.put(a, ascii("12345"));
        driver.put(a + 8, ascii("6789"));
        tx.submit(Buf.in(a, 5));
        assertEquals(new TestDriver.Used(0, 0), tx.one(), "5 bytes fit the host's 8");
        tx.submit(Buf.in(a + 8, 4));
        assertTrue(tx.collect().isEmpty(), "4 more do not fit in 3: the buffer is not used, the console is busy");
        assertEquals(0, dev.update());
        assertTrue(tx.collect().isEmpty(), "still busy while nobody drains the host");
        assertEquals(5, tiny.drain());
        assertEquals(1, dev.update(), "room again: the waiting buffer goes out on the next update");
        assertEquals(new TestDriver.Used(1, 0), tx.one());
        tiny.drain();
        assertEquals("123456789", sink.toString(StandardCharsets.US_ASCII), "nothing lost, nothing twice");
        assertEquals(0, console.transmitLost());
    }

    @Test
    void aTransmitBufferLargerThanTheHostBufferIsCutToIt() {
        final ByteArrayOutputStream sink = new ByteArrayOutputStream();
        final HostOutput tiny = new HostOutput(sink, 8);
        console = new VirtioConsole(tiny);
        dev = new VirtioMmio(console, new GuestMemory(ram), irq);
        driver = new TestDriver(ram, dev);
        final TestDriver.Queue tx = start()[TRANSMITQ];
        final long a = driver.alloc(16);
        driver.put(a, ascii("0123456789ab"));
        tx.submit(Buf.in(a, 12));
        assertEquals(new TestDriver.Used(0, 0), tx.one(), "used at once: waiting could never help");
        tiny.drain();
        assertEquals("01234567", sink.toString(StandardCharsets.US_ASCII));
        assertEquals(4, console.transmitLost());
    }

    @Test
    void emergencyWriteWorksBeforeAnySetup() {
        dev.store(VirtioMmio.CONFIG + VirtioConsole.CONFIG_EMERG_WR, 4, 'E');
        dev.store(VirtioMmio.CONFIG + VirtioConsole.CONFIG_EMERG_WR, 1, '!');
        assertEquals("E!", printed());
    }

    @Test
    void sizeIsOfferedWhenKnownAndResizeNotifies() {
        console = new VirtioConsole(host, 16, 80, 25);
        dev = new VirtioMmio(console, new GuestMemory(ram), irq);
        driver = new TestDriver(ram, dev);
        assertEquals(VirtioConsole.F_SIZE, driver.deviceFeatures() & VirtioConsole.F_SIZE);
        assertEquals(80, dev.load(VirtioMmio.CONFIG, 2));
        assertEquals(25, dev.load(VirtioMmio.CONFIG + 2, 2));
        start();
        final long gen = dev.load(VirtioMmio.CONFIG_GENERATION, 4);
        console.resize(132, 43);
        assertEquals(132 | 43 << 16, dev.load(VirtioMmio.CONFIG, 4));
        assertNotEquals(gen, dev.load(VirtioMmio.CONFIG_GENERATION, 4));
        assertEquals(Virtio.INT_CONFIG_CHANGE, dev.interruptStatus());
    }

    @Test
    void misdirectedBuffersNeedReset() {
        TestDriver.Queue[] qs = start();
        final long a = driver.alloc(8);
        qs[TRANSMITQ].submit(Buf.out(a, 8));
        assertTrue(dev.needsReset());
        assertEquals("virtio-console transmit buffer with a device-writable part", dev.lastError());
        qs = start();
        console.offer('z');
        qs[RECEIVEQ].submit(Buf.in(a, 8));
        assertEquals("virtio-console receive buffer with a device-readable part", dev.lastError());
        assertArrayEquals(new byte[8], driver.get(a, 8));
    }

    @Test
    void aBrokenTerminalDropsOutputButTheGuestGoesOn() {
        final OutputStream broken = new OutputStream() {
            @Override
            public void write(final int b) throws IOException {
                throw new IOException("terminal gone");
            }
        };
        final HostOutput closed = new HostOutput(broken);
        console = new VirtioConsole(closed);
        dev = new VirtioMmio(console, new GuestMemory(ram), irq);
        driver = new TestDriver(ram, dev);
        final TestDriver.Queue tx = start()[TRANSMITQ];
        final long a = driver.alloc(4);
        tx.submit(Buf.in(a, 4));
        assertEquals(0, tx.one().len());
        closed.drain();
        assertTrue(closed.errors() > 0);
        assertFalse(dev.needsReset());
    }
}
