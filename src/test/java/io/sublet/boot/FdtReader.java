package io.sublet.boot;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Test-side decoder of a flattened device tree, written from the Devicetree Specification independently of
 * {@link Fdt}: it checks the header, the block offsets and the 4-byte token alignment, and rebuilds the tree so
 * tests can look at nodes and properties without {@code dtc}. Any inconsistency is an {@link AssertionError}.
 */
public final class FdtReader {
    /** The ten header fields, in file order. */
    public record Header(int magic, int totalSize, int offDtStruct, int offDtStrings, int offMemRsvmap, int version,
                         int lastCompVersion, int bootCpuidPhys, int sizeDtStrings, int sizeDtStruct) {
    }

    /** A decoded node: its path, properties in file order, and children in file order. */
    public record Node(String name, String path, Map<String, byte[]> properties, List<Node> children) {
        public byte[] property(final String propertyName) {
            final byte[] value = properties.get(propertyName);
            if (value == null) {
                throw new AssertionError(path + " has no property " + propertyName + "; it has "
                    + properties.keySet());
            }
            return value;
        }

        public boolean has(final String propertyName) {
            return properties.containsKey(propertyName);
        }

        public int[] cells(final String propertyName) {
            final byte[] v = property(propertyName);
            if (v.length % 4 != 0) {
                throw new AssertionError(path + ":" + propertyName + " is " + v.length + " bytes, not cells");
            }
            final int[] cells = new int[v.length / 4];
            ByteBuffer.wrap(v).asIntBuffer().get(cells);
            return cells;
        }

        public int u32(final String propertyName) {
            final int[] cells = cells(propertyName);
            if (cells.length != 1) {
                throw new AssertionError(path + ":" + propertyName + " has " + cells.length + " cells, not 1");
            }
            return cells[0];
        }

        public long u64(final String propertyName) {
            final int[] cells = cells(propertyName);
            if (cells.length != 2) {
                throw new AssertionError(path + ":" + propertyName + " has " + cells.length + " cells, not 2");
            }
            return (long) cells[0] << 32 | cells[1] & 0xffff_ffffL;
        }

        public List<String> strings(final String propertyName) {
            final byte[] v = property(propertyName);
            if (v.length == 0 || v[v.length - 1] != 0) {
                throw new AssertionError(path + ":" + propertyName + " is not NUL-terminated");
            }
            final List<String> out = new ArrayList<>();
            int start = 0;
            for (int i = 0; i < v.length; i++) {
                if (v[i] == 0) {
                    out.add(new String(v, start, i - start, StandardCharsets.UTF_8));
                    start = i + 1;
                }
            }
            return out;
        }

        public String string(final String propertyName) {
            final List<String> list = strings(propertyName);
            if (list.size() != 1) {
                throw new AssertionError(path + ":" + propertyName + " is a list of " + list.size() + " strings");
            }
            return list.get(0);
        }

        public Node child(final String childName) {
            for (final Node c : children) {
                if (c.name.equals(childName)) {
                    return c;
                }
            }
            throw new AssertionError(path + " has no child " + childName);
        }

        /** The node at an absolute path such as {@code /soc/plic@c000000}, from the root. */
        public Node at(final String absolute) {
            Node n = this;
            for (final String part : absolute.split("/")) {
                if (!part.isEmpty()) {
                    n = n.child(part);
                }
            }
            return n;
        }

        /** Every node's path, depth first, in file order. */
        public List<String> paths() {
            final List<String> out = new ArrayList<>();
            collect(this, out);
            return out;
        }

        private static void collect(final Node n, final List<String> out) {
            out.add(n.path);
            for (final Node c : n.children) {
                collect(c, out);
            }
        }
    }

    /** A decoded blob. */
    public record Tree(Header header, List<long[]> reservations, Node root) {
    }

    private FdtReader() {
    }

    public static Header header(final byte[] blob) {
        check(blob.length >= Fdt.HEADER_SIZE, "blob of " + blob.length + " bytes is shorter than the header");
        final ByteBuffer b = ByteBuffer.wrap(blob);
        return new Header(b.getInt(0), b.getInt(4), b.getInt(8), b.getInt(12), b.getInt(16), b.getInt(20),
            b.getInt(24), b.getInt(28), b.getInt(32), b.getInt(36));
    }

    public static Tree read(final byte[] blob) {
        final Header h = header(blob);
        check(h.magic() == Fdt.MAGIC, "bad magic 0x" + Integer.toHexString(h.magic()));
        check(h.totalSize() == blob.length, "totalsize " + h.totalSize() + " but blob is " + blob.length);
        check(h.offMemRsvmap() % 8 == 0 && h.offMemRsvmap() >= Fdt.HEADER_SIZE, "reservation map offset");
        check(h.offDtStruct() % 4 == 0, "structure block not 4-aligned");
        check(h.offDtStruct() + h.sizeDtStruct() <= h.offDtStrings(), "structure block overlaps strings");
        check(h.offDtStrings() + h.sizeDtStrings() <= h.totalSize(), "strings block past the end");

        final ByteBuffer b = ByteBuffer.wrap(blob);
        final List<long[]> reservations = new ArrayList<>();
        for (int at = h.offMemRsvmap(); ; at += 16) {
            check(at + 16 <= h.offDtStruct(), "reservation block runs into the structure block");
            final long address = b.getLong(at);
            final long size = b.getLong(at + 8);
            if (address == 0 && size == 0) {
                break;
            }
            reservations.add(new long[] {address, size});
        }

        final int end = h.offDtStruct() + h.sizeDtStruct();
        int at = h.offDtStruct();
        final List<Node> stack = new ArrayList<>();
        Node root = null;
        while (true) {
            check(at % 4 == 0 && at + 4 <= end, "token at " + at + " misaligned or past the structure block");
            final int token = b.getInt(at);
            at += 4;
            if (token == Fdt.FDT_BEGIN_NODE) {
                final int nul = indexOfNul(blob, at, end);
                final String name = new String(blob, at, nul - at, StandardCharsets.US_ASCII);
                at = align4(nul + 1);
                final String path;
                if (stack.isEmpty()) {
                    check(root == null, "second root node");
                    check(name.isEmpty(), "root node named '" + name + "'");
                    path = "/";
                } else {
                    final String parent = stack.get(stack.size() - 1).path();
                    path = parent.equals("/") ? "/" + name : parent + "/" + name;
                }
                final Node node = new Node(name, path, new LinkedHashMap<>(), new ArrayList<>());
                if (stack.isEmpty()) {
                    root = node;
                } else {
                    stack.get(stack.size() - 1).children().add(node);
                }
                stack.add(node);
            } else if (token == Fdt.FDT_PROP) {
                check(!stack.isEmpty(), "property outside a node");
                final int len = b.getInt(at);
                final int nameOff = b.getInt(at + 4);
                at += 8;
                check(len >= 0 && at + len <= end, "property value past the structure block");
                check(nameOff >= 0 && nameOff < h.sizeDtStrings(), "property name offset outside strings block");
                final int nameStart = h.offDtStrings() + nameOff;
                final int nul = indexOfNul(blob, nameStart, h.offDtStrings() + h.sizeDtStrings());
                final String name = new String(blob, nameStart, nul - nameStart, StandardCharsets.US_ASCII);
                final Node node = stack.get(stack.size() - 1);
                check(node.children().isEmpty(), node.path() + ": property " + name + " after a child node");
                check(node.properties().put(name, java.util.Arrays.copyOfRange(blob, at, at + len)) == null,
                    node.path() + ": duplicate property " + name);
                at = align4(at + len);
            } else if (token == Fdt.FDT_END_NODE) {
                check(!stack.isEmpty(), "FDT_END_NODE with no open node");
                stack.remove(stack.size() - 1);
            } else if (token == Fdt.FDT_NOP) {
                continue;
            } else if (token == Fdt.FDT_END) {
                check(stack.isEmpty(), "FDT_END with open nodes");
                check(at == end, "FDT_END at " + at + " but the structure block ends at " + end);
                break;
            } else {
                throw new AssertionError("unknown token " + token + " at " + (at - 4));
            }
        }
        check(root != null, "no root node");
        return new Tree(h, reservations, root);
    }

    private static int indexOfNul(final byte[] blob, final int from, final int end) {
        for (int i = from; i < end; i++) {
            if (blob[i] == 0) {
                return i;
            }
        }
        throw new AssertionError("unterminated string at " + from);
    }

    private static int align4(final int v) {
        return (v + 3) & ~3;
    }

    private static void check(final boolean ok, final String message) {
        if (!ok) {
            throw new AssertionError("malformed device tree: " + message);
        }
    }
}
