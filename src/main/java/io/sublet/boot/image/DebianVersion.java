package io.sublet.boot.image;

import java.util.Comparator;

/**
 * Debian package version order (Debian Policy 5.6.12): {@code [epoch:]upstream[-revision]}, compared part by part;
 * within a part, runs of non-digits compare with {@code ~} before everything (even the end), then letters, then
 * other characters, and runs of digits compare as numbers.
 */
final class DebianVersion {
    static final Comparator<String> ORDER = DebianVersion::compare;

    private DebianVersion() {
    }

    static int compare(final String a, final String b) {
        final int ea = a.indexOf(':');
        final int eb = b.indexOf(':');
        final long epochA = ea < 0 ? 0 : parseEpoch(a.substring(0, ea));
        final long epochB = eb < 0 ? 0 : parseEpoch(b.substring(0, eb));
        if (epochA != epochB) {
            return Long.compare(epochA, epochB);
        }
        final String restA = a.substring(ea + 1);
        final String restB = b.substring(eb + 1);
        final int ra = restA.lastIndexOf('-');
        final int rb = restB.lastIndexOf('-');
        final int c = comparePart(ra < 0 ? restA : restA.substring(0, ra), rb < 0 ? restB : restB.substring(0, rb));
        if (c != 0) {
            return c;
        }
        return comparePart(ra < 0 ? "" : restA.substring(ra + 1), rb < 0 ? "" : restB.substring(rb + 1));
    }

    private static long parseEpoch(final String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static int comparePart(final String a, final String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() || j < b.length()) {
            while ((i < a.length() && !isDigit(a.charAt(i))) || (j < b.length() && !isDigit(b.charAt(j)))) {
                final int oa = i < a.length() && !isDigit(a.charAt(i)) ? weight(a.charAt(i)) : 0;
                final int ob = j < b.length() && !isDigit(b.charAt(j)) ? weight(b.charAt(j)) : 0;
                if (oa != ob) {
                    return Integer.compare(oa, ob);
                }
                i++;
                j++;
            }
            while (i < a.length() && a.charAt(i) == '0') {
                i++;
            }
            while (j < b.length() && b.charAt(j) == '0') {
                j++;
            }
            int firstDiff = 0;
            while (i < a.length() && isDigit(a.charAt(i)) && j < b.length() && isDigit(b.charAt(j))) {
                if (firstDiff == 0) {
                    firstDiff = Character.compare(a.charAt(i), b.charAt(j));
                }
                i++;
                j++;
            }
            if (i < a.length() && isDigit(a.charAt(i))) {
                return 1;
            }
            if (j < b.length() && isDigit(b.charAt(j))) {
                return -1;
            }
            if (firstDiff != 0) {
                return firstDiff;
            }
        }
        return 0;
    }

    private static boolean isDigit(final char c) {
        return c >= '0' && c <= '9';
    }

    /** The sort weight of a non-digit: '~' lowest, then the end of the part (0), then letters, then the rest. */
    private static int weight(final char c) {
        if (c == '~') {
            return -1;
        }
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
            return c;
        }
        return c + 256;
    }
}
