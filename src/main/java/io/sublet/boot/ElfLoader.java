package io.sublet.boot;

import io.sublet.mem.Ram;

/** Copies an ELF image's loadable segments into guest RAM at their physical addresses. */
public final class ElfLoader {
    private ElfLoader() { }

    public static void load(ElfImage elf, Ram ram) throws BadImageException {
        final long ramEnd = ram.base() + ram.size();
        int index = 0;
        for (ElfImage.Segment s : elf.segments()) {
            if (s.memSize() == 0) {
                index++;
                continue; // an empty segment occupies no memory wherever it claims to be
            }
            final long end = s.paddr() + s.memSize();
            if (Long.compareUnsigned(s.memSize(), ram.size()) > 0 || Long.compareUnsigned(s.paddr(), ram.base()) < 0
                    || Long.compareUnsigned(end, ramEnd) > 0 || Long.compareUnsigned(end, s.paddr()) < 0) {
                throw new BadImageException(String.format(
                        "%s: segment %d at [0x%x, 0x%x) lies outside RAM [0x%x, 0x%x); use --mem to enlarge RAM",
                        elf.name(), index, s.paddr(), end, ram.base(), ramEnd));
            }
            index++;
        }
        for (ElfImage.Segment s : elf.segments()) {
            if (s.memSize() == 0) {
                continue;
            }
            ram.write(s.paddr(), elf.data(), s.fileOffset(), (int) s.fileSize());
            ram.fill(s.paddr() + s.fileSize(), (int) (s.memSize() - s.fileSize()), (byte) 0);
        }
    }
}
