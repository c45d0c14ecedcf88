package io.sublet.boot.image;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Debian's control-file format (deb822), as used by Release and Packages files: paragraphs separated by blank
 * lines, {@code Field: value} lines, continuation lines starting with a space or tab. Field names are
 * case-insensitive; a multi-line value keeps its continuation lines, joined by {@code \n} and without the leading
 * space.
 */
final class Deb822 {
    private final BufferedReader in;
    private long lineNumber;

    Deb822(final BufferedReader in) {
        this.in = in;
    }

    /** The paragraphs of a whole document. */
    static List<Map<String, String>> parse(final String text) throws IOException {
        final Deb822 r = new Deb822(new BufferedReader(new StringReader(text)));
        final List<Map<String, String>> out = new ArrayList<>();
        List<String> p;
        while ((p = r.nextParagraph()) != null) {
            out.add(fields(p));
        }
        return out;
    }

    /** The raw lines of the next paragraph, or null at the end of the input. Comment lines are dropped. */
    List<String> nextParagraph() throws IOException {
        List<String> lines = null;
        String line;
        while ((line = in.readLine()) != null) {
            lineNumber++;
            if (line.isBlank()) {
                if (lines != null) {
                    return lines;
                }
                continue;
            }
            if (line.startsWith("#")) {
                continue;
            }
            if (lines == null) {
                lines = new ArrayList<>();
            }
            lines.add(line);
        }
        return lines;
    }

    /** The line number of the last line read, for messages. */
    long lineNumber() {
        return lineNumber;
    }

    /** The fields of a paragraph's raw lines. Malformed lines are dropped: no field of ours can be split by them. */
    static Map<String, String> fields(final List<String> lines) {
        final Map<String, String> out = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        String field = null;
        StringBuilder value = null;
        for (String line : lines) {
            if (line.charAt(0) == ' ' || line.charAt(0) == '\t') {
                if (value != null) {
                    if (value.length() > 0) {
                        value.append('\n');
                    }
                    value.append(line.strip());
                }
                continue;
            }
            if (field != null) {
                out.put(field, value.toString());
            }
            final int colon = line.indexOf(':');
            if (colon <= 0) {
                field = null;
                value = null;
                continue;
            }
            field = line.substring(0, colon).strip();
            value = new StringBuilder(line.substring(colon + 1).strip());
        }
        if (field != null) {
            out.put(field, value.toString());
        }
        return Collections.unmodifiableMap(out);
    }

    /** The value of the first field of a paragraph if it is {@code name}, else null; cheap, for filtering. */
    static String firstField(final List<String> lines, final String name) {
        final String first = lines.get(0);
        if (first.length() > name.length() && first.regionMatches(true, 0, name, 0, name.length())
                && first.charAt(name.length()) == ':') {
            return first.substring(name.length() + 1).strip();
        }
        return null;
    }
}
