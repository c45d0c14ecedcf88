package io.sublet.cpu;

import java.util.ArrayList;
import java.util.List;

/**
 * The extensions this hart implements, as device-tree {@code riscv,isa-extensions} names. Derived
 * from misa plus the multi-letter extensions that misa cannot show, so the tree a guest reads lists
 * exactly what the hart does — Linux uses optional extensions only when they are listed.
 */
public final class IsaExtensions {
    private static final String MISA_ORDER = "imafdqc"; // canonical order of the single letters we may have

    private IsaExtensions() { }

    public static List<String> implemented() {
        final List<String> out = new ArrayList<>();
        for (char c : MISA_ORDER.toCharArray()) {
            if ((Csrs.MISA & (1L << (c - 'a'))) != 0) {
                out.add(String.valueOf(c));
            }
        }
        out.add("zicntr"); // cycle, time, instret
        out.add("zicsr");
        out.add("zifencei");
        return out;
    }

    /** The paging modes the MMU implements, largest first; the kernel probes down from the largest. */
    public static String mmuType() {
        return "sv57";
    }
}
