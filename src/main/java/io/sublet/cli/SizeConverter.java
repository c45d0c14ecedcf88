package io.sublet.cli;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/**
 * Parses memory sizes as QEMU's -m does: a number with an optional K, M or G suffix (binary units, an
 * optional "B" or "iB" after it), "B" alone for bytes; a bare number is MiB.
 */
public final class SizeConverter implements CommandLine.ITypeConverter<Long> {
    private static final Pattern SIZE = Pattern.compile("(\\d{1,12})\\s*(?:([KMG])(?:I?B)?|(B))?", Pattern.CASE_INSENSITIVE);

    @Override
    public Long convert(String value) {
        return parse(value);
    }

    public static long parse(String value) {
        final Matcher m = SIZE.matcher(value.trim());
        if (!m.matches()) {
            throw new CommandLine.TypeConversionException("'" + value + "' is not a size (use e.g. 256M or 1G)");
        }
        final long n;
        try {
            n = Long.parseLong(m.group(1));
        } catch (NumberFormatException e) {
            throw new CommandLine.TypeConversionException("'" + value + "' is too large");
        }
        final int shift;
        if (m.group(3) != null) {
            shift = 0;
        } else if (m.group(2) == null) {
            shift = 20;
        } else {
            switch (m.group(2).toUpperCase(java.util.Locale.ROOT)) {
                case "K": shift = 10; break;
                case "G": shift = 30; break;
                default: shift = 20; break;
            }
        }
        if (n == 0) {
            throw new CommandLine.TypeConversionException("'" + value + "' is not a positive size");
        }
        if (n > Long.MAX_VALUE >> shift) {
            throw new CommandLine.TypeConversionException("'" + value + "' is too large");
        }
        return n << shift;
    }
}
