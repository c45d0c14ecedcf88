package io.sublet.machine.snapshot;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Builds the state section: tagged sections of little-endian fields. Not for hot paths. */
public final class StateWriter {
    private final ByteArrayOutputStream all = new ByteArrayOutputStream();
    private final ByteBuffer scratch = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
    private ByteArrayOutputStream section;

    /** Starts a section; fields written until the next {@link #begin} or {@link #toBytes} belong to it. */
    public StateWriter begin(final String tag) {
        close();
        if (tag.length() != 4) {
            throw new IllegalArgumentException("section tags have 4 characters: " + tag);
        }
        all.writeBytes(tag.getBytes(StandardCharsets.US_ASCII));
        section = new ByteArrayOutputStream();
        return this;
    }

    private void close() {
        if (section != null) {
            scratch.clear();
            scratch.putInt(0, section.size());
            all.write(scratch.array(), 0, 4);
            all.writeBytes(section.toByteArray());
            section = null;
        }
    }

    private ByteArrayOutputStream target() {
        if (section == null) {
            throw new IllegalStateException("no section begun");
        }
        return section;
    }

    public StateWriter putInt(final int v) {
        scratch.putInt(0, v);
        target().write(scratch.array(), 0, 4);
        return this;
    }

    public StateWriter putLong(final long v) {
        scratch.putLong(0, v);
        target().write(scratch.array(), 0, 8);
        return this;
    }

    public StateWriter putBoolean(final boolean v) {
        target().write(v ? 1 : 0);
        return this;
    }

    public StateWriter putBytes(final byte[] v) {
        putInt(v.length);
        target().writeBytes(v);
        return this;
    }

    public StateWriter putInts(final int[] v) {
        putInt(v.length);
        for (int x : v) {
            putInt(x);
        }
        return this;
    }

    public StateWriter putLongs(final long[] v) {
        putInt(v.length);
        for (long x : v) {
            putLong(x);
        }
        return this;
    }

    public StateWriter putBooleans(final boolean[] v) {
        putInt(v.length);
        for (boolean x : v) {
            putBoolean(x);
        }
        return this;
    }

    /** A string, or null (length -1). */
    public StateWriter putString(final String v) {
        if (v == null) {
            return putInt(-1);
        }
        return putBytes(v.getBytes(StandardCharsets.UTF_8));
    }

    public byte[] toBytes() {
        close();
        return all.toByteArray();
    }
}
