package io.sublet.machine.snapshot;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads the state section of an untrusted snapshot: every read is bounds-checked against its section,
 * every array length against what is left of it, so a hostile file can neither read past a section nor
 * make the loader allocate more than the file holds. Errors name the section.
 */
public final class StateReader {
    private final Map<String, ByteBuffer> sections;
    private ByteBuffer in;
    private String tag;

    private StateReader(final Map<String, ByteBuffer> sections) {
        this.sections = sections;
    }

    /** Splits the state section into its tagged sections; a tag twice, or a length past the end, is refused. */
    public static StateReader parse(final byte[] state) throws SnapshotException {
        final ByteBuffer b = ByteBuffer.wrap(state).order(ByteOrder.LITTLE_ENDIAN);
        final Map<String, ByteBuffer> out = new HashMap<>();
        while (b.hasRemaining()) {
            if (b.remaining() < 8) {
                throw new SnapshotException("state section ends inside a section header");
            }
            final byte[] t = new byte[4];
            b.get(t);
            final String name = new String(t, StandardCharsets.ISO_8859_1);
            final int length = b.getInt();
            if (length < 0 || length > b.remaining()) {
                throw new SnapshotException("state section '" + printable(name) + "' claims " + (length & 0xffffffffL)
                        + " bytes, " + b.remaining() + " are left");
            }
            final ByteBuffer payload = b.slice(b.position(), length).order(ByteOrder.LITTLE_ENDIAN);
            b.position(b.position() + length);
            if (out.put(name, payload) != null) {
                throw new SnapshotException("state section '" + printable(name) + "' appears twice");
            }
        }
        return new StateReader(out);
    }

    private static String printable(final String s) {
        final StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            b.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return b.toString();
    }

    /** Moves to section {@code name}; a snapshot without it is refused. */
    public StateReader section(final String name) throws SnapshotException {
        final ByteBuffer s = sections.get(name);
        if (s == null) {
            throw new SnapshotException("the snapshot has no '" + name + "' section");
        }
        in = s.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        in.position(0);
        tag = name;
        return this;
    }

    public boolean has(final String name) {
        return sections.containsKey(name);
    }

    /** The current section must be used up exactly: trailing bytes mean a different layout. */
    public void end() throws SnapshotException {
        if (in.hasRemaining()) {
            throw new SnapshotException("section '" + tag + "' has " + in.remaining() + " bytes left over");
        }
    }

    private void need(final long bytes) throws SnapshotException {
        if (bytes > in.remaining()) {
            throw new SnapshotException("section '" + tag + "' is truncated");
        }
    }

    public int getInt() throws SnapshotException {
        need(4);
        return in.getInt();
    }

    public long getLong() throws SnapshotException {
        need(8);
        return in.getLong();
    }

    public boolean getBoolean() throws SnapshotException {
        need(1);
        final byte v = in.get();
        if (v != 0 && v != 1) {
            throw new SnapshotException("section '" + tag + "' has a boolean of " + v);
        }
        return v == 1;
    }

    private int length(final int elementSize, final int max) throws SnapshotException {
        final int n = getInt();
        if (n < 0 || n > max) {
            throw new SnapshotException("section '" + tag + "' has an array of " + n + " elements (at most " + max + ")");
        }
        need((long) n * elementSize);
        return n;
    }

    public byte[] getBytes(final int max) throws SnapshotException {
        final byte[] v = new byte[length(1, max)];
        in.get(v);
        return v;
    }

    public int[] getInts(final int max) throws SnapshotException {
        final int[] v = new int[length(4, max)];
        for (int i = 0; i < v.length; i++) {
            v[i] = in.getInt();
        }
        return v;
    }

    public long[] getLongs(final int max) throws SnapshotException {
        final long[] v = new long[length(8, max)];
        for (int i = 0; i < v.length; i++) {
            v[i] = in.getLong();
        }
        return v;
    }

    public boolean[] getBooleans(final int max) throws SnapshotException {
        final int n = length(1, max);
        final boolean[] v = new boolean[n];
        for (int i = 0; i < n; i++) {
            v[i] = getBoolean();
        }
        return v;
    }

    /** An array length that is then read element by element by the caller. */
    public int getCount(final int max) throws SnapshotException {
        final int n = getInt();
        if (n < 0 || n > max) {
            throw new SnapshotException("section '" + tag + "' has a count of " + n + " (at most " + max + ")");
        }
        return n;
    }

    /** A string or null; malformed UTF-8 is refused. */
    public String getString(final int max) throws SnapshotException {
        need(4);
        if (in.getInt(in.position()) == -1) {
            in.getInt();
            return null;
        }
        final byte[] b = getBytes(max);
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(b)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new SnapshotException("section '" + tag + "' has a string that is not UTF-8");
        }
    }
}
