package io.sublet.boot.image;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One package relation from a {@code Depends} field, {@code name [(op version)]}, with {@code op} one of
 * {@code = >= <= >> <<} (or null when any version will do). Architecture qualifiers and restriction lists are
 * dropped: the Packages file we read is already for one architecture.
 */
record Relation(String name, String op, String version) {
    private static final Pattern ONE = Pattern.compile(
            "\\s*([a-z0-9][a-z0-9+.-]*)(?::[a-z0-9-]+)?\\s*(?:\\(\\s*(<<|<=|>=|>>|=|<|>)\\s*([^)\\s]+)\\s*\\))?\\s*");

    /** A Depends field as groups of alternatives: {@code a | b, c} is {@code [[a, b], [c]]}. */
    static List<List<Relation>> parseDepends(final String field) throws ImageException {
        final List<List<Relation>> out = new ArrayList<>();
        if (field == null || field.isBlank()) {
            return out;
        }
        for (String group : field.split(",")) {
            final List<Relation> alternatives = new ArrayList<>();
            for (String alt : group.split("\\|")) {
                final String plain = alt.replaceAll("\\[[^]]*]", "").replaceAll("<[^>]*>", "");
                final Matcher m = ONE.matcher(plain);
                if (!m.matches()) {
                    throw new ImageException("malformed package relation: " + alt.strip());
                }
                alternatives.add(new Relation(m.group(1), normalise(m.group(2)), m.group(3)));
            }
            out.add(alternatives);
        }
        return out;
    }

    private static String normalise(final String op) {
        // '<' and '>' are obsolete spellings of '<=' and '>='.
        if ("<".equals(op)) {
            return "<=";
        }
        if (">".equals(op)) {
            return ">=";
        }
        return op;
    }

    /** Whether a package {@code candidateName} at {@code candidateVersion} satisfies this relation. */
    boolean satisfiedBy(final String candidateName, final String candidateVersion) {
        if (!name.equals(candidateName)) {
            return false;
        }
        if (op == null) {
            return true;
        }
        final int c = DebianVersion.compare(candidateVersion, version);
        switch (op) {
            case "=": return c == 0;
            case ">=": return c >= 0;
            case "<=": return c <= 0;
            case ">>": return c > 0;
            case "<<": return c < 0;
            default: return false;
        }
    }

    @Override
    public String toString() {
        return op == null ? name : name + " (" + op + " " + version + ")";
    }
}
