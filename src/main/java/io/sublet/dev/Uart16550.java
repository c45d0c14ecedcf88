package io.sublet.dev;

import io.sublet.mem.Device;

/**
 * An ns16550a UART (compatible {@code "ns16550a"}), as Linux's 8250 driver and OpenSBI use it: byte
 * registers at consecutive offsets (reg-shift 0), 16-byte receive FIFO, the four interrupt causes in
 * their fixed priority, loopback, and a level interrupt output.
 *
 * <pre>
 *  off  DLAB=0 read   DLAB=0 write  DLAB=1      bits
 *  0    RBR           THR           DLL
 *  1    IER           IER           DLM         3 EDSSI  2 ELSI  1 ETBEI  0 ERBFI         (7..4 read 0)
 *  2    IIR           FCR           (same)      IIR: 7..6 = 11 when FIFOs on, 3..1 cause, 0 = no interrupt
 *                                               FCR: 7..6 RX trigger (1, 4, 8, 14)  2 clear TX  1 clear RX
 *                                                    0 FIFO enable
 *  3    LCR           LCR                       7 DLAB, 6..0 line format (stored, no effect)
 *  4    MCR           MCR                       4 LOOP  3 OUT2  2 OUT1  1 RTS  0 DTR    (7..5 read 0)
 *  5    LSR           -                         6 TEMT  5 THRE  4 BI  1 OE  0 DR
 *  6    MSR           -                         7 DCD 6 RI 5 DSR 4 CTS | 3 DDCD 2 TERI 1 DDSR 0 DCTS
 *  7    SCR           SCR                       scratch
 *
 *  IIR cause, highest first:  0110 line status (OE; read LSR)      1100 RX timeout (data below trigger)
 *                             0100 RX data at or above trigger     0010 THR empty (read IIR, write THR)
 *                             0000 modem status (read MSR)         0001 none
 * </pre>
 *
 * Output: a byte written to THR enters the transmit FIFO (16 bytes, 1 without FIFOs) and leaves it for
 * the machine's {@link HostOutput} as soon as that has room, so while the host's terminal keeps up,
 * transmission takes no time and THRE and TEMT read 1. When the terminal stops draining, the host buffer
 * fills, bytes stay in the transmit FIFO and THRE and TEMT read 0: the guest sees a busy transmitter and
 * waits, as on a slow line; bytes written to a full transmit FIFO are lost (counted), as on a real 16550.
 * The FIFO moves on on register reads and on {@link #update()}. In loopback a transmitted byte goes to
 * the receive FIFO at once. The THR empty interrupt is pending when the transmit FIFO becomes empty and
 * when ETBEI goes from 0 to 1 while it is empty; reading IIR while it reports that cause, writing THR, or
 * clearing ETBEI cancels it. Characters waiting below the receive
 * trigger level raise the timeout cause at once (a character time here is zero). Outside loopback the
 * modem inputs read CTS, DSR and DCD asserted; in loopback they follow RTS, DTR, OUT1 and OUT2. OUT2 does
 * not gate the interrupt (as on QEMU). Accesses wider than a byte act on the register at their offset
 * with the low byte; offsets 8 and up read 0.
 *
 * <p>Input: the host console thread calls {@link #offer} or {@link #receive}, which never wait; bytes
 * wait in a bounded {@link HostInput} queue (the serial line, {@link #DEFAULT_HOST_QUEUE} bytes unless
 * given) and move into the receive FIFO as it has room, on register reads and on {@link #update()},
 * which the machine calls between execution slices. When the guest does not read, the FIFO and then the
 * queue fill, and what arrives after that is dropped: an overrun, as on a real 16550. The guest sees it
 * as OE in LSR (and the line status interrupt, when enabled), and {@link #overruns()} counts the bytes
 * lost. So a guest that reads nothing holds at most FIFO_SIZE + the queue's capacity bytes (4112 by
 * default), the first ones that arrived. The register side is serialised by this object's monitor, which
 * host threads never take; the interrupt line is driven with it held.
 */
public final class Uart16550 implements Device {
    public static final long SIZE = 0x100;
    /** The input clock the device tree advertises (QEMU's value). */
    public static final int CLOCK_FREQUENCY = 3_686_400;
    public static final String[] COMPATIBLE = {"ns16550a"};
    public static final int FIFO_SIZE = 16;
    public static final int DEFAULT_HOST_QUEUE = 4096;

    public static final int RBR = 0;
    public static final int THR = 0;
    public static final int DLL = 0;
    public static final int IER = 1;
    public static final int DLM = 1;
    public static final int IIR = 2;
    public static final int FCR = 2;
    public static final int LCR = 3;
    public static final int MCR = 4;
    public static final int LSR = 5;
    public static final int MSR = 6;
    public static final int SCR = 7;

    public static final int IER_ERBFI = 0x01;
    public static final int IER_ETBEI = 0x02;
    public static final int IER_ELSI = 0x04;
    public static final int IER_EDSSI = 0x08;

    public static final int IIR_MSI = 0x00;
    public static final int IIR_NONE = 0x01;
    public static final int IIR_THRI = 0x02;
    public static final int IIR_RDI = 0x04;
    public static final int IIR_RLSI = 0x06;
    public static final int IIR_CTI = 0x0c;
    public static final int IIR_FIFOS = 0xc0;

    public static final int FCR_ENABLE = 0x01;
    public static final int FCR_CLEAR_RX = 0x02;
    public static final int FCR_CLEAR_TX = 0x04;

    public static final int LCR_DLAB = 0x80;

    public static final int MCR_DTR = 0x01;
    public static final int MCR_RTS = 0x02;
    public static final int MCR_OUT1 = 0x04;
    public static final int MCR_OUT2 = 0x08;
    public static final int MCR_LOOP = 0x10;

    public static final int LSR_DR = 0x01;
    public static final int LSR_OE = 0x02;
    /** Break interrupt: the character at the head of the receive FIFO is a break (a zero byte). */
    public static final int LSR_BI = 0x10;
    public static final int LSR_THRE = 0x20;
    public static final int LSR_TEMT = 0x40;

    public static final int MSR_DCTS = 0x01;
    public static final int MSR_DDSR = 0x02;
    public static final int MSR_TERI = 0x04;
    public static final int MSR_DDCD = 0x08;
    public static final int MSR_CTS = 0x10;
    public static final int MSR_DSR = 0x20;
    public static final int MSR_RI = 0x40;
    public static final int MSR_DCD = 0x80;

    private static final int[] TRIGGER = {1, 4, 8, 14};

    private final HostOutput out;
    private final IrqLine irq;
    private final HostInput hostInput;

    // Register state, guarded by this.
    private int ier;
    private int lcr;
    private int mcr;
    private int scr;
    private int dll = 12;
    private int dlm;
    private boolean fifos;
    private int trigger = 1;
    /** Sticky LSR error bits (only OE can happen here), cleared by reading LSR. */
    private int lsrErrors;
    /** MSR delta bits, cleared by reading MSR. */
    private int msrDeltas;
    /** MSR state bits as last computed, to find the deltas on the next change. */
    private int msrLines = MSR_CTS | MSR_DSR | MSR_DCD;
    private boolean thrPending;
    /** The host asked for a break condition on the line ({@link #sendBreak}); it enters an empty FIFO. */
    private volatile boolean breakRequested;
    /** The byte at the head of the receive FIFO is a break. */
    private boolean breakAtHead;
    private final byte[] rx = new byte[FIFO_SIZE];
    private int rxHead;
    private int rxCount;
    private final byte[] tx = new byte[FIFO_SIZE];
    private int txHead;
    private int txCount;
    private int lastRbr;
    private boolean irqLevel;
    /** The host queue's drop count when last looked at: a change is an overrun. */
    private long seenDropped;
    private long loopbackOverruns;
    private long bytesOut;
    private long bytesIn;
    private long txLost;

    /**
     * Saved register state and FIFO contents; bytes still in the host queues (either way) are not part of
     * it.
     */
    public record State(int ier, int lcr, int mcr, int scr, int dll, int dlm, boolean fifos, int trigger,
                        int lsrErrors, int msrDeltas, boolean thrPending, byte[] rx, int lastRbr, byte[] tx) { }

    public Uart16550(final HostOutput out, final IrqLine irq) {
        this(out, irq, DEFAULT_HOST_QUEUE);
    }

    /** @param hostQueue how many input bytes may wait for the guest before more are dropped (an overrun) */
    public Uart16550(final HostOutput out, final IrqLine irq, final int hostQueue) {
        this.out = out;
        this.irq = irq;
        this.hostInput = new HostInput(hostQueue);
    }

    // ---- host side (any thread) ----

    /** Queues one input byte for the guest; false when the host queue is full and the byte was dropped. */
    public boolean offer(final int b) {
        return hostInput.offer(b);
    }

    /** Queues input bytes for the guest without waiting; returns how many fit (the rest were dropped). */
    public int receive(final byte[] data, final int offset, final int length) {
        return hostInput.offer(data, offset, length);
    }

    public int receive(final byte[] data) {
        return receive(data, 0, data.length);
    }

    /**
     * Called after input is queued, on the thread that queued it; the machine uses it to wake a hart
     * sleeping in WFI so that the next {@link #update()} delivers the input.
     */
    public void setInputListener(final Runnable listener) {
        hostInput.setListener(listener);
    }

    /**
     * Puts a break condition on the receive line, as a serial terminal's BREAK key does: it reaches the guest as
     * a zero byte with LSR.BI once the input queued before it has been read. Linux takes a break on its serial console as the
     * Magic SysRq prefix: the next character is a SysRq command. Any thread.
     */
    public void sendBreak() {
        breakRequested = true;
        hostInput.wake();
    }

    /** A break was asked for and has not yet reached the receive FIFO. */
    public boolean breakPending() {
        return breakRequested;
    }

    /** Bytes queued by the host that the guest has not yet received into its FIFO. */
    public int hostQueued() {
        return hostInput.size();
    }

    // ---- register side (hart threads) ----

    /**
     * Moves queued host input into the receive FIFO and transmitted bytes to the host output, as far as
     * each has room, and drives the interrupt line; the machine calls it between execution slices.
     * Returns the number of input bytes moved.
     */
    public synchronized int update() {
        final int moved = pullInput();
        pushOutput();
        updateIrq();
        return moved;
    }

    @Override
    public synchronized long load(final long offset, final int size) {
        pullInput();
        pushOutput();
        final int value;
        switch ((int) offset) {
            case RBR:
                value = (lcr & LCR_DLAB) != 0 ? dll : readRbr();
                break;
            case IER:
                value = (lcr & LCR_DLAB) != 0 ? dlm : ier;
                break;
            case IIR:
                value = readIir();
                break;
            case LCR:
                value = lcr;
                break;
            case MCR:
                value = mcr;
                break;
            case LSR:
                value = lsr();
                lsrErrors = 0;
                break;
            case MSR:
                value = msrLines | msrDeltas;
                msrDeltas = 0;
                break;
            case SCR:
                value = scr;
                break;
            default:
                value = 0;
                break;
        }
        updateIrq();
        return value;
    }

    @Override
    public synchronized void store(final long offset, final int size, final long value) {
        final int v = (int) value & 0xff;
        switch ((int) offset) {
            case THR:
                if ((lcr & LCR_DLAB) != 0) {
                    dll = v;
                } else {
                    transmit(v);
                }
                break;
            case IER:
                if ((lcr & LCR_DLAB) != 0) {
                    dlm = v;
                } else {
                    writeIer(v & 0x0f);
                }
                break;
            case FCR:
                writeFcr(v);
                break;
            case LCR:
                lcr = v;
                break;
            case MCR:
                mcr = v & 0x1f;
                updateModemLines();
                pullInput();
                break;
            case SCR:
                scr = v;
                break;
            default:
                break; // LSR and MSR are read-only
        }
        updateIrq();
    }

    private int readRbr() {
        if (rxCount > 0) {
            lastRbr = rx[rxHead] & 0xff;
            breakAtHead = false;
            rxHead = (rxHead + 1) % FIFO_SIZE;
            rxCount--;
            pullInput();
        }
        return lastRbr;
    }

    private int readIir() {
        final int cause = cause();
        if (cause == IIR_THRI) {
            thrPending = false;
        }
        return cause | (fifos ? IIR_FIFOS : 0);
    }

    /** The highest-priority enabled interrupt cause, or {@link #IIR_NONE}. */
    private int cause() {
        if ((ier & IER_ELSI) != 0 && lsrErrors != 0) {
            return IIR_RLSI;
        }
        if ((ier & IER_ERBFI) != 0 && rxCount > 0) {
            return !fifos || rxCount >= trigger ? IIR_RDI : IIR_CTI;
        }
        if ((ier & IER_ETBEI) != 0 && thrPending) {
            return IIR_THRI;
        }
        if ((ier & IER_EDSSI) != 0 && msrDeltas != 0) {
            return IIR_MSI;
        }
        return IIR_NONE;
    }

    private int lsr() {
        return (rxCount > 0 ? LSR_DR : 0) | (breakAtHead && rxCount > 0 ? LSR_BI : 0) | lsrErrors
                | (txCount == 0 ? LSR_THRE | LSR_TEMT : 0);
    }

    private void transmit(final int b) {
        thrPending = false;
        if ((mcr & MCR_LOOP) != 0) {
            if (!pushRx(b)) {
                lsrErrors |= LSR_OE;
                loopbackOverruns++;
            }
            thrPending = txCount == 0; // the byte went round at once
            return;
        }
        if (txCount >= txCapacity()) {
            txLost++; // written while THRE was clear: a real 16550 loses it too
            return;
        }
        tx[(txHead + txCount) % FIFO_SIZE] = (byte) b;
        txCount++;
        pushOutput();
    }

    /** Moves the transmit FIFO into the host output as far as it has room; THR empty once it is all gone. */
    private void pushOutput() {
        if (txCount == 0) {
            return;
        }
        while (txCount > 0 && out.write(tx[txHead])) {
            txHead = (txHead + 1) % FIFO_SIZE;
            txCount--;
            bytesOut++;
        }
        if (txCount == 0) {
            thrPending = true;
        }
    }

    private int txCapacity() {
        return fifos ? FIFO_SIZE : 1;
    }

    private void writeIer(final int v) {
        final int changed = ier ^ v;
        ier = v;
        if ((changed & IER_ETBEI) != 0) {
            thrPending = (v & IER_ETBEI) != 0 && txCount == 0;
        }
    }

    private void writeFcr(final int v) {
        final boolean enable = (v & FCR_ENABLE) != 0;
        if (enable != fifos) {
            fifos = enable;
            clearRx();
            clearTx();
        }
        if (!enable) {
            return; // the other bits take effect only together with FIFO enable
        }
        if ((v & FCR_CLEAR_RX) != 0) {
            clearRx();
        }
        if ((v & FCR_CLEAR_TX) != 0) {
            clearTx();
        }
        trigger = TRIGGER[v >>> 6];
        pullInput();
    }

    private void updateModemLines() {
        final int lines;
        if ((mcr & MCR_LOOP) != 0) {
            lines = ((mcr & MCR_RTS) != 0 ? MSR_CTS : 0) | ((mcr & MCR_DTR) != 0 ? MSR_DSR : 0)
                    | ((mcr & MCR_OUT1) != 0 ? MSR_RI : 0) | ((mcr & MCR_OUT2) != 0 ? MSR_DCD : 0);
        } else {
            lines = MSR_CTS | MSR_DSR | MSR_DCD;
        }
        final int changed = lines ^ msrLines;
        msrDeltas |= (changed & MSR_CTS) != 0 ? MSR_DCTS : 0;
        msrDeltas |= (changed & MSR_DSR) != 0 ? MSR_DDSR : 0;
        msrDeltas |= (changed & MSR_DCD) != 0 ? MSR_DDCD : 0;
        msrDeltas |= (changed & MSR_RI) != 0 && (lines & MSR_RI) == 0 ? MSR_TERI : 0; // trailing edge only
        msrLines = lines;
    }

    private int rxCapacity() {
        return fifos ? FIFO_SIZE : 1;
    }

    private boolean pushRx(final int b) {
        if (rxCount >= rxCapacity()) {
            return false;
        }
        rx[(rxHead + rxCount) % FIFO_SIZE] = (byte) b;
        rxCount++;
        return true;
    }

    private void clearRx() {
        rxHead = 0;
        rxCount = 0;
        breakAtHead = false;
    }

    private void clearTx() {
        if (txCount > 0) {
            txLost += txCount;
            thrPending = true; // THR just became empty
        }
        txHead = 0;
        txCount = 0;
    }

    /**
     * Moves host input into the receive FIFO while it has room; in loopback the line is disconnected.
     * Input the host queue had to drop since the last look is an overrun: OE.
     */
    private int pullInput() {
        final long dropped = hostInput.dropped();
        if (dropped != seenDropped) {
            seenDropped = dropped;
            lsrErrors |= LSR_OE;
        }
        if ((mcr & MCR_LOOP) != 0) {
            return 0;
        }
        int moved = 0;
        if (breakRequested && rxCount == 0 && hostInput.isEmpty()) { // after all input queued before it
            breakRequested = false;
            pushRx(0);
            breakAtHead = true;
        }
        while (rxCount < rxCapacity()) {
            final int b = hostInput.poll();
            if (b < 0) {
                break;
            }
            pushRx(b);
            moved++;
        }
        bytesIn += moved;
        return moved;
    }

    private void updateIrq() {
        final boolean level = cause() != IIR_NONE;
        if (level != irqLevel) {
            irqLevel = level;
            irq.set(level);
        }
    }

    /** Bytes the guest transmitted (outside loopback). */
    public synchronized long bytesOut() {
        return bytesOut;
    }

    /** Bytes moved from the host queue into the guest's receive FIFO. */
    public synchronized long bytesIn() {
        return bytesIn;
    }

    /**
     * Received bytes lost to overruns: dropped by the host queue because the guest did not read, or
     * looped back into a full receive FIFO. Any thread.
     */
    public long overruns() {
        final long loopback;
        synchronized (this) {
            loopback = loopbackOverruns;
        }
        return hostInput.dropped() + loopback;
    }

    /** Bytes the guest wrote to THR while the transmit FIFO was full, or that a FIFO reset discarded. */
    public synchronized long transmitLost() {
        return txLost;
    }

    /** Bytes waiting in the transmit FIFO because the host output is full (0 while the host keeps up). */
    public synchronized int transmitQueued() {
        return txCount;
    }

    public synchronized State save() {
        final byte[] fifo = new byte[rxCount];
        for (int i = 0; i < rxCount; i++) {
            fifo[i] = rx[(rxHead + i) % FIFO_SIZE];
        }
        final byte[] sending = new byte[txCount];
        for (int i = 0; i < txCount; i++) {
            sending[i] = tx[(txHead + i) % FIFO_SIZE];
        }
        return new State(ier, lcr, mcr, scr, dll, dlm, fifos, trigger, lsrErrors, msrDeltas, thrPending, fifo,
                lastRbr, sending);
    }

    public synchronized void restore(final State s) {
        checkByte("IER", s.ier(), 0x0f);
        checkByte("LCR", s.lcr(), 0xff);
        checkByte("MCR", s.mcr(), 0x1f);
        checkByte("SCR", s.scr(), 0xff);
        checkByte("DLL", s.dll(), 0xff);
        checkByte("DLM", s.dlm(), 0xff);
        checkByte("LSR errors", s.lsrErrors(), LSR_OE);
        checkByte("MSR deltas", s.msrDeltas(), 0x0f);
        checkByte("RBR", s.lastRbr(), 0xff);
        if (s.trigger() != 1 && s.trigger() != 4 && s.trigger() != 8 && s.trigger() != 14) {
            throw new IllegalArgumentException("UART state has receive trigger " + s.trigger());
        }
        if (s.rx().length > (s.fifos() ? FIFO_SIZE : 1)) {
            throw new IllegalArgumentException("UART state holds " + s.rx().length + " received bytes, more than"
                    + " its FIFO");
        }
        if (s.tx().length > (s.fifos() ? FIFO_SIZE : 1)) {
            throw new IllegalArgumentException("UART state holds " + s.tx().length + " bytes to transmit, more"
                    + " than its FIFO");
        }
        ier = s.ier();
        lcr = s.lcr();
        mcr = s.mcr();
        scr = s.scr();
        dll = s.dll();
        dlm = s.dlm();
        fifos = s.fifos();
        trigger = s.trigger();
        lsrErrors = s.lsrErrors();
        msrLines = MSR_CTS | MSR_DSR | MSR_DCD;
        updateModemLines();
        msrDeltas = s.msrDeltas();
        thrPending = s.thrPending();
        clearRx();
        for (byte b : s.rx()) {
            pushRx(b);
        }
        txHead = 0;
        txCount = s.tx().length;
        System.arraycopy(s.tx(), 0, tx, 0, txCount);
        seenDropped = hostInput.dropped();
        lastRbr = s.lastRbr();
        irqLevel = cause() != IIR_NONE;
        irq.set(irqLevel);
    }

    private static void checkByte(final String name, final int value, final int mask) {
        if ((value & ~mask) != 0) {
            throw new IllegalArgumentException("UART state has " + name + " = 0x" + Integer.toHexString(value));
        }
    }
}
