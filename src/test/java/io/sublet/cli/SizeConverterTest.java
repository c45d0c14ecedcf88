package io.sublet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** Memory sizes as QEMU's -m takes them: binary K/M/G suffixes, a bare number is MiB. */
class SizeConverterTest {
    @ParameterizedTest(name = "''{0}'' = {1}")
    @CsvSource({
        "256M, 268435456", "1G, 1073741824", "512, 536870912", "64K, 65536", "2g, 2147483648", "16m, 16777216",
        "1GiB, 1073741824", "1GB, 1073741824", "8MiB, 8388608", "'128 M', 134217728", "' 256M ', 268435456",
        "4096K, 4194304", "1, 1048576",
    })
    void parsesSizes(String text, long bytes) {
        assertEquals(bytes, SizeConverter.parse(text));
        assertEquals(bytes, new SizeConverter().convert(text));
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"", "abc", "-1", "1T", "1.5G", "G", "M1", "0x100", "1 G B X", "1234567890123M"})
    void refusesWhatIsNotASize(String text) {
        final CommandLine.TypeConversionException e = assertThrows(CommandLine.TypeConversionException.class,
                () -> SizeConverter.parse(text));
        assertTrue(e.getMessage().contains("'" + text + "'") && e.getMessage().contains("not a size"), e.getMessage());
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"0", "0M", "0G", "000"})
    void refusesZero(String text) {
        final CommandLine.TypeConversionException e = assertThrows(CommandLine.TypeConversionException.class,
                () -> SizeConverter.parse(text));
        assertTrue(e.getMessage().contains("not a positive size"), e.getMessage());
    }

    @Test
    void refusesSizesThatOverflow() {
        assertThrows(CommandLine.TypeConversionException.class, () -> SizeConverter.parse("17179869185G"));
        assertThrows(CommandLine.TypeConversionException.class, () -> SizeConverter.parse("8589934592G"));
    }

    @Test
    void byteSuffixMeansBytes() {
        assertEquals(8192, SizeConverter.parse("8192B"), "QEMU's -m reads a bare B as bytes");
        assertEquals(4096, SizeConverter.parse("4096b"));
        assertThrows(CommandLine.TypeConversionException.class, () -> SizeConverter.parse("1iB"), "iB needs a unit");
    }
}
