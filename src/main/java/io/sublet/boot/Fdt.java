package io.sublet.boot;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes a flattened device tree blob (DTB), as the Devicetree Specification v0.4 chapter 5 defines it: format
 * version 17, last compatible version 16. Nodes and properties are written in one pass, in document order:
 *
 * <pre>{@code
 * final Fdt fdt = new Fdt();
 * fdt.beginNode("");                               // the root node has the empty name
 * fdt.propertyU32("#address-cells", 2);
 * fdt.beginNode("memory@80000000");
 * fdt.propertyString("device_type", "memory");
 * fdt.propertyCells("reg", 0, 0x8000_0000, 0, 0x1000_0000);
 * fdt.endNode();
 * fdt.endNode();
 * final byte[] dtb = fdt.finish();
 * }</pre>
 *
 * The blob is laid out as follows (all integers big-endian):
 *
 * <pre>
 *   0 +-----------------------------+
 *     | header, 10 x u32            |  magic 0xd00dfeed, totalsize, off_dt_struct, off_dt_strings,
 *  40 +-----------------------------+  off_mem_rsvmap, version, last_comp_version, boot_cpuid_phys,
 *     | memory reservation block    |  size_dt_strings, size_dt_struct
 *     |   {u64 address, u64 size}*  |  8-byte aligned, ends with an all-zero entry
 *     +-----------------------------+
 *     | structure block             |  4-byte aligned tokens:
 *     |   FDT_BEGIN_NODE name\0 pad |    1, then the node's name, NUL-terminated, padded to 4
 *     |   FDT_PROP len nameoff data |    3, value length, offset of the name in the strings block,
 *     |   FDT_END_NODE              |       value padded to 4;  2 closes a node
 *     |   FDT_END                   |    9, once, after the root node
 *     +-----------------------------+
 *     | strings block               |  property names, NUL-terminated, each name stored once
 *     +-----------------------------+  (totalsize)
 * </pre>
 *
 * There is one method per kind of property value. Properties of a node must come before its child nodes, as the
 * specification requires; writing them out of order, leaving a node open, closing one too many, repeating a
 * property or a child name, or writing after {@link #finish()} is an {@link IllegalStateException} naming the
 * node. A bad name or value is an {@link IllegalArgumentException}. Phandles come from {@link #allocatePhandle()}
 * so that a node can be referred to before it is written (a CPU's interrupt controller from the CLINT, say);
 * {@link #finish()} refuses a tree in which an allocated phandle was never given to a node.
 */
public final class Fdt {
    public static final int MAGIC = 0xd00d_feed;
    public static final int VERSION = 17;
    public static final int LAST_COMPATIBLE_VERSION = 16;
    public static final int HEADER_SIZE = 40;

    public static final int FDT_BEGIN_NODE = 1;
    public static final int FDT_END_NODE = 2;
    public static final int FDT_PROP = 3;
    public static final int FDT_NOP = 4;
    public static final int FDT_END = 9;

    /** Longest node name (before the {@code @}) and property name the specification allows. */
    public static final int MAX_NAME = 31;

    private static final String NODE_NAME_CHARS = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ,._+-";
    private static final String PROPERTY_NAME_CHARS = NODE_NAME_CHARS + "?#";

    /** A node that is open, i.e. begun and not yet ended. */
    private static final class OpenNode {
        final String path;
        final Set<String> properties = new HashSet<>();
        final Set<String> children = new HashSet<>();
        String firstChild;

        OpenNode(final String path) {
            this.path = path;
        }
    }

    private final Sink struct = new Sink();
    private final Sink strings = new Sink();
    private final Map<String, Integer> stringOffsets = new HashMap<>();
    private final List<long[]> reservations = new ArrayList<>();
    private final Deque<OpenNode> open = new ArrayDeque<>();
    private final BitSet allocatedPhandles = new BitSet();
    private final Map<Integer, String> placedPhandles = new HashMap<>();
    private int nextPhandle = 1;
    private int bootCpu;
    private boolean rootWritten;
    private boolean finished;

    /** Sets the header's {@code boot_cpuid_phys}: the {@code reg} of the CPU that boots (0 unless told). */
    public Fdt bootCpu(final int physicalId) {
        checkNotFinished();
        bootCpu = physicalId;
        return this;
    }

    /** Adds an entry to the memory reservation block: memory the OS must not use. Any time before finish. */
    public Fdt reserveMemory(final long address, final long size) {
        checkNotFinished();
        if (size == 0) {
            throw new IllegalArgumentException("memory reservation at 0x" + Long.toHexString(address)
                + " has size 0 (a zero entry would end the reservation block)");
        }
        reservations.add(new long[] {address, size});
        return this;
    }

    /**
     * Opens a node as a child of the open node; the first node must be the root, named {@code ""}. A name is
     * {@code node-name} or {@code node-name@unit-address}, the node-name 1 to 31 characters from
     * {@code [0-9a-zA-Z,._+-]} beginning with a letter.
     */
    public Fdt beginNode(final String name) {
        checkNotFinished();
        final OpenNode parent = open.peek();
        if (parent == null) {
            if (rootWritten) {
                throw new IllegalStateException("node '" + name + "' after the root node was closed: a tree has "
                    + "one root");
            }
            if (!name.isEmpty()) {
                throw new IllegalStateException("the first node must be the root, named \"\", not '" + name + "'");
            }
            rootWritten = true;
            open.push(new OpenNode("/"));
        } else {
            checkNodeName(name, parent.path);
            if (!parent.children.add(name)) {
                throw new IllegalStateException("node " + parent.path + " already has a child named '" + name + "'");
            }
            if (parent.firstChild == null) {
                parent.firstChild = name;
            }
            open.push(new OpenNode(parent.path.equals("/") ? "/" + name : parent.path + "/" + name));
        }
        struct.putInt(FDT_BEGIN_NODE);
        struct.putBytes(name.getBytes(StandardCharsets.US_ASCII));
        struct.putByte(0);
        struct.align(4);
        return this;
    }

    /** Closes the open node. */
    public Fdt endNode() {
        checkNotFinished();
        if (open.isEmpty()) {
            throw new IllegalStateException(rootWritten ? "endNode() with no open node: the root node is already "
                + "closed" : "endNode() with no open node: no node was begun");
        }
        open.pop();
        struct.putInt(FDT_END_NODE);
        return this;
    }

    /** A property with no value, a flag such as {@code interrupt-controller} or {@code ranges}. */
    public Fdt propertyEmpty(final String name) {
        return property(name, new byte[0]);
    }

    /** A 32-bit cell, e.g. {@code #address-cells = <2>}. */
    public Fdt propertyU32(final String name, final int value) {
        return propertyCells(name, value);
    }

    /** A 64-bit value as two cells, most significant first, e.g. {@code linux,initrd-start}. */
    public Fdt propertyU64(final String name, final long value) {
        return propertyCells(name, (int) (value >>> 32), (int) value);
    }

    /** A list of 32-bit cells (at least one), e.g. {@code reg} or {@code interrupts-extended}. */
    public Fdt propertyCells(final String name, final int... cells) {
        if (cells.length == 0) {
            throw new IllegalArgumentException("property '" + name + "' has no cells; use propertyEmpty for a flag");
        }
        final byte[] value = new byte[cells.length * 4];
        for (int i = 0; i < cells.length; i++) {
            putInt(value, i * 4, cells[i]);
        }
        return property(name, value);
    }

    /** A NUL-terminated string (UTF-8; it must not contain NUL). */
    public Fdt propertyString(final String name, final String value) {
        return propertyStrings(name, List.of(value));
    }

    /** A string list (at least one), e.g. {@code compatible = "sifive,test1", "syscon"}. */
    public Fdt propertyStrings(final String name, final String... values) {
        return propertyStrings(name, Arrays.asList(values));
    }

    /** A string list (at least one), e.g. {@code riscv,isa-extensions}. */
    public Fdt propertyStrings(final String name, final List<String> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("property '" + name + "' is an empty string list; "
                + "use propertyEmpty for a flag");
        }
        final Sink value = new Sink();
        for (final String s : values) {
            if (s.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("property '" + name + "': string contains NUL: " + s);
            }
            value.putBytes(s.getBytes(StandardCharsets.UTF_8));
            value.putByte(0);
        }
        return property(name, value.toArray());
    }

    /** Raw bytes, e.g. {@code rng-seed}. */
    public Fdt propertyBytes(final String name, final byte[] value) {
        return property(name, value.clone());
    }

    /**
     * Reserves a fresh phandle, to be given to a node with {@link #propertyPhandle} before {@link #finish()};
     * other nodes may refer to it before or after that. Phandles count up from 1.
     */
    public int allocatePhandle() {
        checkNotFinished();
        final int phandle = nextPhandle++;
        allocatedPhandles.set(phandle);
        return phandle;
    }

    /** Gives the open node its {@code phandle} property; the value must come from {@link #allocatePhandle()}. */
    public Fdt propertyPhandle(final int phandle) {
        checkNotFinished();
        if (phandle <= 0 || !allocatedPhandles.get(phandle)) {
            throw new IllegalArgumentException("phandle " + phandle + " was not allocated by allocatePhandle()");
        }
        final String owner = placedPhandles.get(phandle);
        if (owner != null) {
            throw new IllegalStateException("phandle " + phandle + " is already the phandle of " + owner);
        }
        propertyU32("phandle", phandle);
        placedPhandles.put(phandle, open.peek().path);
        return this;
    }

    /** Allocates a phandle and gives it to the open node; returns it. */
    public int addPhandle() {
        final int phandle = allocatePhandle();
        propertyPhandle(phandle);
        return phandle;
    }

    /**
     * Ends the tree and returns the blob. The root node must have been written and closed, and every allocated
     * phandle given to a node. The writer cannot be used afterwards.
     */
    public byte[] finish() {
        checkNotFinished();
        if (!open.isEmpty()) {
            throw new IllegalStateException("finish() with node " + open.peek().path + " still open ("
                + open.size() + " open node" + (open.size() == 1 ? "" : "s") + ")");
        }
        if (!rootWritten) {
            throw new IllegalStateException("finish() with no root node");
        }
        for (int p = allocatedPhandles.nextSetBit(0); p >= 0; p = allocatedPhandles.nextSetBit(p + 1)) {
            if (!placedPhandles.containsKey(p)) {
                throw new IllegalStateException("phandle " + p + " was allocated but no node has it");
            }
        }
        finished = true;
        struct.putInt(FDT_END);

        final int rsvOffset = HEADER_SIZE;                       // already 8-aligned
        final int rsvSize = (reservations.size() + 1) * 16;
        final int structOffset = rsvOffset + rsvSize;             // 8-aligned, hence 4-aligned
        final int stringsOffset = structOffset + struct.size();
        final long total = (long) stringsOffset + strings.size();
        if (total > Integer.MAX_VALUE) {
            throw new IllegalStateException("device tree of " + total + " bytes is too large");
        }
        final byte[] blob = new byte[(int) total];
        putInt(blob, 0, MAGIC);
        putInt(blob, 4, (int) total);
        putInt(blob, 8, structOffset);
        putInt(blob, 12, stringsOffset);
        putInt(blob, 16, rsvOffset);
        putInt(blob, 20, VERSION);
        putInt(blob, 24, LAST_COMPATIBLE_VERSION);
        putInt(blob, 28, bootCpu);
        putInt(blob, 32, strings.size());
        putInt(blob, 36, struct.size());
        int at = rsvOffset;
        for (final long[] r : reservations) {
            putLong(blob, at, r[0]);
            putLong(blob, at + 8, r[1]);
            at += 16;
        }
        struct.copyTo(blob, structOffset);
        strings.copyTo(blob, stringsOffset);
        return blob;
    }

    private Fdt property(final String name, final byte[] value) {
        checkNotFinished();
        final OpenNode node = open.peek();
        if (node == null) {
            throw new IllegalStateException("property '" + name + "' outside any node"
                + (rootWritten ? ": the root node is closed" : ": begin the root node first"));
        }
        if (node.firstChild != null) {
            throw new IllegalStateException("property '" + name + "' of node " + node.path + " after its child node '"
                + node.firstChild + "': properties must come before child nodes");
        }
        checkPropertyName(name, node.path);
        if (!node.properties.add(name)) {
            throw new IllegalStateException("node " + node.path + " already has a property '" + name + "'");
        }
        struct.putInt(FDT_PROP);
        struct.putInt(value.length);
        struct.putInt(stringOffset(name));
        struct.putBytes(value);
        struct.align(4);
        return this;
    }

    private int stringOffset(final String name) {
        final Integer known = stringOffsets.get(name);
        if (known != null) {
            return known;
        }
        final int offset = strings.size();
        strings.putBytes(name.getBytes(StandardCharsets.US_ASCII));
        strings.putByte(0);
        stringOffsets.put(name, offset);
        return offset;
    }

    private void checkNotFinished() {
        if (finished) {
            throw new IllegalStateException("the device tree is already finished");
        }
    }

    private static void checkNodeName(final String name, final String parentPath) {
        final int at = name.indexOf('@');
        final String base = at < 0 ? name : name.substring(0, at);
        final String unit = at < 0 ? "" : name.substring(at + 1);
        final String where = "node name '" + name + "' under " + parentPath;
        if (base.isEmpty() || base.length() > MAX_NAME) {
            throw new IllegalArgumentException(where + ": the name before '@' must be 1 to " + MAX_NAME
                + " characters");
        }
        final char first = base.charAt(0);
        if (!(first >= 'a' && first <= 'z' || first >= 'A' && first <= 'Z')) {
            throw new IllegalArgumentException(where + ": must begin with a letter");
        }
        if (at >= 0 && unit.isEmpty()) {
            throw new IllegalArgumentException(where + ": empty unit address after '@'");
        }
        checkChars(base + unit, NODE_NAME_CHARS, where);
    }

    private static void checkPropertyName(final String name, final String nodePath) {
        final String where = "property name '" + name + "' in " + nodePath;
        if (name.isEmpty() || name.length() > MAX_NAME) {
            throw new IllegalArgumentException(where + ": must be 1 to " + MAX_NAME + " characters");
        }
        checkChars(name, PROPERTY_NAME_CHARS, where);
    }

    private static void checkChars(final String s, final String allowed, final String where) {
        for (int i = 0; i < s.length(); i++) {
            if (allowed.indexOf(s.charAt(i)) < 0) {
                throw new IllegalArgumentException(where + ": character '" + s.charAt(i) + "' is not allowed");
            }
        }
    }

    private static void putInt(final byte[] b, final int at, final int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }

    private static void putLong(final byte[] b, final int at, final long v) {
        putInt(b, at, (int) (v >>> 32));
        putInt(b, at + 4, (int) v);
    }

    /** A growable big-endian byte buffer. */
    private static final class Sink {
        private byte[] bytes = new byte[256];
        private int size;

        int size() {
            return size;
        }

        void putByte(final int b) {
            ensure(1);
            bytes[size++] = (byte) b;
        }

        void putInt(final int v) {
            ensure(4);
            Fdt.putInt(bytes, size, v);
            size += 4;
        }

        void putBytes(final byte[] b) {
            ensure(b.length);
            System.arraycopy(b, 0, bytes, size, b.length);
            size += b.length;
        }

        void align(final int alignment) {
            while (size % alignment != 0) {
                putByte(0);
            }
        }

        void copyTo(final byte[] dst, final int at) {
            System.arraycopy(bytes, 0, dst, at, size);
        }

        byte[] toArray() {
            return Arrays.copyOf(bytes, size);
        }

        private void ensure(final int more) {
            if (size + more > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
            }
        }
    }
}
