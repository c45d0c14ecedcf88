package io.sublet.mem;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Read-only memory (the boot ROM): loads of any size; stores are refused as access faults. */
public final class Rom implements Device {
    private final ByteBuffer data;

    public Rom(byte[] contents) {
        this.data = ByteBuffer.wrap(contents.clone()).order(ByteOrder.LITTLE_ENDIAN);
    }

    public int size() {
        return data.capacity();
    }

    @Override
    public long load(long offset, int size) {
        if (offset < 0 || offset + size > data.capacity()) {
            throw BusFault.INSTANCE;
        }
        final int i = (int) offset;
        switch (size) {
            case 1: return data.get(i);
            case 2: return data.getShort(i);
            case 4: return data.getInt(i);
            default: return data.getLong(i);
        }
    }

    @Override
    public void store(long offset, int size, long value) {
        throw BusFault.INSTANCE;
    }
}
