package io.sublet.isa;

import java.util.Map;

/**
 * Turns an instruction as GNU objdump ({@code -M no-aliases}) prints it into the text {@link Disassembler} must
 * produce: whitespace and symbol annotations normalised, branch targets without objdump's {@code 0x} (it adds one
 * for raw binaries only), and compressed instructions rewritten as the base instruction they expand to, following
 * the expansions of the RVC chapter of the unprivileged spec.
 */
final class ObjdumpText {
    /** Compressed loads and stores: the same operands as the base instruction. */
    private static final Map<String, String> SAME_OPERANDS = Map.ofEntries(
        Map.entry("c.lw", "lw"), Map.entry("c.ld", "ld"), Map.entry("c.fld", "fld"),
        Map.entry("c.sw", "sw"), Map.entry("c.sd", "sd"), Map.entry("c.fsd", "fsd"),
        Map.entry("c.lwsp", "lw"), Map.entry("c.ldsp", "ld"), Map.entry("c.fldsp", "fld"),
        Map.entry("c.swsp", "sw"), Map.entry("c.sdsp", "sd"), Map.entry("c.fsdsp", "fsd"),
        Map.entry("c.addi4spn", "addi"), Map.entry("c.lui", "lui"));

    /** Two-address forms {@code c.op rd,x} that expand to {@code op rd,rd,x}. */
    private static final Map<String, String> TWO_ADDRESS = Map.ofEntries(
        Map.entry("c.addi", "addi"), Map.entry("c.addiw", "addiw"), Map.entry("c.andi", "andi"),
        Map.entry("c.slli", "slli"), Map.entry("c.srli", "srli"), Map.entry("c.srai", "srai"),
        Map.entry("c.sub", "sub"), Map.entry("c.xor", "xor"), Map.entry("c.or", "or"), Map.entry("c.and", "and"),
        Map.entry("c.subw", "subw"), Map.entry("c.addw", "addw"), Map.entry("c.add", "add"),
        Map.entry("c.addi16sp", "addi"));

    private ObjdumpText() {
    }

    /**
     * The expected {@link Disassembler} text for one objdump instruction, or {@code null} when objdump considers
     * the bits no valid instruction ({@code .2byte}/{@code .4byte}/{@code .word}, {@code c.unimp}).
     */
    static String expected(final String objdumpText) {
        String text = objdumpText;
        final int comment = text.indexOf('#');
        if (comment >= 0) {
            text = text.substring(0, comment);
        }
        final int symbol = text.indexOf(" <");
        if (symbol >= 0) {
            text = text.substring(0, symbol);
        }
        text = text.trim();
        final int tab = text.indexOf('\t');
        final String mnemonic = tab < 0 ? text : text.substring(0, tab);
        final String operands = tab < 0 ? "" : text.substring(tab + 1).trim();
        if (mnemonic.startsWith(".") || mnemonic.equals("c.unimp")) {
            return null;
        }
        final String[] ops = operands.isEmpty() ? new String[0] : operands.split(",");
        return mnemonic.startsWith("c.") ? expand(mnemonic, ops) : join(mnemonic, withPlainTarget(mnemonic, ops));
    }

    private static String expand(final String mnemonic, final String[] ops) {
        if (SAME_OPERANDS.containsKey(mnemonic)) {
            return join(SAME_OPERANDS.get(mnemonic), ops);
        }
        if (TWO_ADDRESS.containsKey(mnemonic)) {
            return join(TWO_ADDRESS.get(mnemonic), ops[0], ops[0], ops[1]);
        }
        switch (mnemonic) {
            case "c.nop": return join("addi", "zero", "zero", ops.length == 0 ? "0" : ops[0]);
            case "c.li": return join("addi", ops[0], "zero", ops[1]);
            case "c.mv": return join("add", ops[0], "zero", ops[1]);
            case "c.slli64": return join("slli", ops[0], ops[0], "0x0");
            case "c.srli64": return join("srli", ops[0], ops[0], "0x0");
            case "c.srai64": return join("srai", ops[0], ops[0], "0x0");
            case "c.j": return join("jal", "zero", plain(ops[0]));
            case "c.beqz": return join("beq", ops[0], "zero", plain(ops[1]));
            case "c.bnez": return join("bne", ops[0], "zero", plain(ops[1]));
            case "c.jr": return join("jalr", "zero", "0(" + ops[0] + ")");
            case "c.jalr": return join("jalr", "ra", "0(" + ops[0] + ")");
            case "c.ebreak": return "ebreak";
            default: throw new AssertionError("objdump printed an unknown compressed instruction: " + mnemonic);
        }
    }

    private static String[] withPlainTarget(final String mnemonic, final String[] ops) {
        if (mnemonic.equals("jal") || mnemonic.startsWith("b")) {
            ops[ops.length - 1] = plain(ops[ops.length - 1]);
        }
        return ops;
    }

    private static String plain(final String target) {
        return target.startsWith("0x") ? target.substring(2) : target;
    }

    private static String join(final String mnemonic, final String... ops) {
        return ops.length == 0 ? mnemonic : mnemonic + "\t" + String.join(",", ops);
    }
}
