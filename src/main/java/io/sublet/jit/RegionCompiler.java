package io.sublet.jit;

import static org.objectweb.asm.Opcodes.*;

import io.sublet.isa.Format;
import io.sublet.isa.Insn;
import io.sublet.mem.Ram;
import java.util.ArrayList;
import java.util.List;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;

/**
 * Writes the JVM class for the slots [from, to) of a {@link PagePlan}: one method, {@link Region#run}, that
 * starts with a {@code lookupswitch} on the entry slot and runs the guest code as straight JVM code, guest
 * branches inside the part becoming gotos, so guest loops are JVM loops for HotSpot to optimize.
 *
 * <p>Guest registers live in JVM locals: the ones the part uses are loaded in the prologue and the ones it
 * writes are stored back at its single exit and in its trap handlers, which see the locals' current values
 * (the JVM keeps locals across a caught exception). Loads and stores inline the TLB fast path of
 * {@code Mmu} and call the MMU only on a miss, the only path that can trap; before that call the trap site
 * goes into a local that the handler reads. The semantics are the interpreter's: the same {@code RvI} and
 * {@code RvM} methods, and F/D/A instructions run by the interpreter itself.
 */
final class RegionCompiler {
    /** HotSpot compiles no method above 8,000 bytes of bytecode ({@code HugeMethodLimit}). */
    static final int MAX_CODE_BYTES = 2_500;

    private static final String REGION = "io/sublet/jit/Region";
    private static final String CONTEXT = "io/sublet/jit/JitContext";
    private static final String RUNTIME = "io/sublet/jit/RegionRuntime";
    private static final String HART = "io/sublet/cpu/Hart";
    private static final String MMU = "io/sublet/cpu/Mmu";
    private static final String TRAP = "io/sublet/cpu/Trap";
    private static final String MODIFIED = "io/sublet/cpu/CodeModified";
    private static final String RAM = "io/sublet/mem/Ram";
    private static final String BUFFER = "java/nio/ByteBuffer";
    private static final String VH = "java/lang/invoke/VarHandle";
    private static final String RVI = "io/sublet/cpu/insn/RvI";
    private static final String RVM = "io/sublet/cpu/insn/RvM";
    private static final String INSN = "io/sublet/isa/Insn";
    private static final String RUN_DESC = "(L" + CONTEXT + ";JII)I";

    // Local variable slots of run(JitContext c, long vbase, int slot, int limit).
    private static final int CTX = 1;
    private static final int VBASE = 2;
    private static final int SLOT = 4;
    private static final int LIMIT = 5;
    private static final int N = 6;
    private static final int SITE = 7;
    private static final int MMU_L = 8;
    private static final int X = 9;
    private static final int LTAG = 10;
    private static final int LIDX = 11;
    private static final int STAG = 12;
    private static final int SIDX = 13;
    private static final int MEM = 14;
    private static final int VA = 15;
    private static final int NPC = 17;
    private static final int TMP = 19;
    private static final int TI = 21;
    private static final int OFF = 22;
    private static final int EXC = 23;
    private static final int REG0 = 24;

    /** The class file, how long its method's bytecode is, and the tables its {@link Region.Shape} needs. */
    record Output(byte[] classFile, int codeBytes, int size, int[] siteOffset, int[] siteLength, int[] siteDelta,
                  Insn[] helpers, List<Integer> entries) {
    }

    private final PagePlan plan;
    private final int from;
    private final int to;
    private final MethodVisitor mv;
    private final ClassWriter cw;
    private final Label[] labels = new Label[PagePlan.SLOTS];
    private final Label dispatch = new Label();
    private final Label exit = new Label();
    private final boolean[] used = new boolean[32];
    private final boolean[] written = new boolean[32];
    private final List<int[]> sites = new ArrayList<>();
    private final List<Insn> helpers = new ArrayList<>();
    private final List<Integer> entries = new ArrayList<>();
    /** Instructions of the current block emitted so far, not yet added to n. */
    private int pending;

    private RegionCompiler(PagePlan plan, int from, int to) {
        this.plan = plan;
        this.from = from;
        this.to = to;
        this.cw = new ClassWriter(ClassWriter.COMPUTE_FRAMES) {
            @Override
            protected String getCommonSuperClass(String a, String b) {
                return "java/lang/Object"; // only unrelated exception types ever meet; no class loading here
            }
        };
        cw.visit(V17, ACC_FINAL | ACC_SUPER, "io/sublet/jit/Translated", null, REGION, null);
        final MethodVisitor init = cw.visitMethod(0, "<init>", "(L" + REGION + "$Shape;)V", null, null);
        init.visitCode();
        init.visitVarInsn(ALOAD, 0);
        init.visitVarInsn(ALOAD, 1);
        init.visitMethodInsn(INVOKESPECIAL, REGION, "<init>", "(L" + REGION + "$Shape;)V", false);
        init.visitInsn(RETURN);
        init.visitMaxs(0, 0);
        init.visitEnd();
        this.mv = cw.visitMethod(ACC_PUBLIC | ACC_FINAL, "run", RUN_DESC, null, null);
    }

    /** Compiles slots [from, to) of the plan; null when there is nothing to enter there. */
    static Output compile(PagePlan plan, int from, int to) {
        return new RegionCompiler(plan, from, to).emit();
    }

    private boolean inPart(int s) {
        return s >= from && s < to && plan.insn[s] != null && plan.kind[s].translated();
    }

    private Output emit() {
        for (int s = from; s < to; s++) {
            if (inPart(s)) {
                noteRegisters(plan.insn[s], plan.kind[s]);
                if (plan.leader[s]) {
                    labels[s] = new Label();
                    entries.add(s);
                }
            }
        }
        if (entries.isEmpty()) {
            return null;
        }
        mv.visitCode();
        prologue();
        final Label tryStart = new Label();
        final Label tryEnd = new Label();
        mv.visitLabel(tryStart);
        emitDispatch();
        for (int s = from; s < to; s++) {
            if (!inPart(s)) {
                continue;
            }
            if (plan.leader[s]) {
                flushPending();
                mv.visitLabel(labels[s]);
            }
            if (emitInstruction(s, plan.insn[s], plan.kind[s])) {
                final int next = s + plan.insn[s].length / 2;
                if (nextEmitted(s) != next || next >= to) {
                    leaveTo(next); // the next instruction is not translated here: leave for it
                }
            }
        }
        mv.visitLabel(tryEnd);
        emitExit();
        emitHandler(tryStart, tryEnd, TRAP, true);
        emitHandler(tryStart, tryEnd, MODIFIED, false);
        final Label end = new Label();
        mv.visitLabel(end);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
        cw.visitEnd();
        final byte[] bytes = cw.toByteArray();
        final int n = sites.size();
        final int[] off = new int[n];
        final int[] len = new int[n];
        final int[] delta = new int[n];
        for (int i = 0; i < n; i++) {
            off[i] = sites.get(i)[0];
            len[i] = sites.get(i)[1];
            delta[i] = sites.get(i)[2];
        }
        return new Output(bytes, end.getOffset(), plan.translatedCount(from, to), off, len, delta,
                helpers.toArray(new Insn[0]), entries);
    }

    private int nextEmitted(int s) {
        for (int t = s + 1; t < to; t++) {
            if (inPart(t)) {
                return t;
            }
        }
        return -1;
    }

    private void noteRegisters(Insn in, Kind k) {
        switch (k) {
            case HELPER:
                used[in.rs1] = true;
                used[in.rs2] = true;
                if (writesX(in)) {
                    used[in.rd] = true;
                    written[in.rd] = true;
                }
                break;
            case NOP:
                break;
            default:
                used[in.rs1] = true;
                used[in.rs2] = true;
                if (in.op.format != Format.STORE && in.op.format != Format.BRANCH) {
                    used[in.rd] = true;
                    written[in.rd] = true;
                }
        }
        used[0] = false;
        written[0] = false;
    }

    /** Whether an F/D/A instruction writes an integer register. */
    private static boolean writesX(Insn in) {
        switch (in.op.format) {
            case XFF: case XF_RM: case XF: case LR: case AMO: return true;
            default: return false;
        }
    }

    /** Whether an F/D/A instruction reads integer registers (rs1, and rs2 for SC and AMOs). */
    private static boolean readsX(Insn in) {
        switch (in.op.format) {
            case FLOAD: case FSTORE: case FX: case FX_RM: case LR: case AMO: return true;
            default: return false;
        }
    }

    // ---- structure ----

    private void prologue() {
        mv.visitVarInsn(ALOAD, CTX);
        mv.visitFieldInsn(GETFIELD, CONTEXT, "x", "[J");
        mv.visitVarInsn(ASTORE, X);
        field("mmu", "L" + MMU + ";", MMU_L);
        field("loadTag", "[J", LTAG);
        field("loadIdx", "[I", LIDX);
        field("storeTag", "[J", STAG);
        field("storeIdx", "[I", SIDX);
        field("mem", "L" + BUFFER + ";", MEM);
        for (int r = 1; r < 32; r++) {
            if (used[r]) {
                mv.visitVarInsn(ALOAD, X);
                pushInt(r);
                mv.visitInsn(LALOAD);
                mv.visitVarInsn(LSTORE, reg(r));
            }
        }
        mv.visitInsn(ICONST_0);
        mv.visitVarInsn(ISTORE, N);
        mv.visitInsn(ICONST_0);
        mv.visitVarInsn(ISTORE, SITE);
        mv.visitInsn(LCONST_0);
        mv.visitVarInsn(LSTORE, NPC);
    }

    private void field(String name, String desc, int local) {
        mv.visitVarInsn(ALOAD, CTX);
        mv.visitFieldInsn(GETFIELD, CONTEXT, name, desc);
        mv.visitVarInsn(ASTORE, local);
    }

    private void emitDispatch() {
        mv.visitLabel(dispatch);
        final int[] keys = new int[entries.size()];
        final Label[] targets = new Label[entries.size()];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = entries.get(i);
            targets[i] = labels[keys[i]];
        }
        final Label other = new Label();
        mv.visitVarInsn(ILOAD, SLOT);
        mv.visitLookupSwitchInsn(other, keys, targets);
        mv.visitLabel(other);
        // not an entry of this part: leave at that slot (an indirect jump into the page brought us here)
        mv.visitVarInsn(LLOAD, VBASE);
        mv.visitVarInsn(ILOAD, SLOT);
        mv.visitInsn(ICONST_1);
        mv.visitInsn(ISHL);
        mv.visitInsn(I2L);
        mv.visitInsn(LADD);
        mv.visitVarInsn(LSTORE, NPC);
        mv.visitJumpInsn(GOTO, exit);
    }

    private void emitExit() {
        mv.visitLabel(exit);
        spill();
        mv.visitVarInsn(ALOAD, CTX);
        mv.visitFieldInsn(GETFIELD, CONTEXT, "hart", "L" + HART + ";");
        mv.visitVarInsn(LLOAD, NPC);
        mv.visitFieldInsn(PUTFIELD, HART, "pc", "J");
        mv.visitVarInsn(ILOAD, N);
        mv.visitInsn(IRETURN);
    }

    private void emitHandler(Label start, Label end, String type, boolean trap) {
        final Label handler = new Label();
        mv.visitTryCatchBlock(start, end, handler, type);
        mv.visitLabel(handler);
        mv.visitVarInsn(ASTORE, EXC);
        spill();
        mv.visitVarInsn(ALOAD, CTX);
        mv.visitVarInsn(ALOAD, 0);
        mv.visitVarInsn(ILOAD, SITE);
        mv.visitVarInsn(ILOAD, N);
        mv.visitVarInsn(LLOAD, VBASE);
        if (trap) {
            mv.visitVarInsn(ALOAD, EXC);
            mv.visitTypeInsn(CHECKCAST, TRAP);
            mv.visitMethodInsn(INVOKESTATIC, RUNTIME, "trapped", "(L" + CONTEXT + ";L" + REGION + ";IIJL" + TRAP + ";)I",
                    false);
        } else {
            mv.visitMethodInsn(INVOKESTATIC, RUNTIME, "modified", "(L" + CONTEXT + ";L" + REGION + ";IIJ)I", false);
        }
        mv.visitInsn(IRETURN);
    }

    private void spill() {
        for (int r = 1; r < 32; r++) {
            if (written[r]) {
                spill(r);
            }
        }
    }

    private void spill(int r) {
        mv.visitVarInsn(ALOAD, X);
        pushInt(r);
        mv.visitVarInsn(LLOAD, reg(r));
        mv.visitInsn(LASTORE);
    }

    private void flushPending() {
        if (pending > 0) {
            mv.visitIincInsn(N, pending);
            pending = 0;
        }
    }

    /** Leaves the region with pc at page offset {@code 2 * slot} (which may lie outside the page). */
    private void leaveTo(long slot) {
        flushPending();
        leaveToOffset(2 * slot);
    }

    private void leaveToOffset(long offset) {
        mv.visitVarInsn(LLOAD, VBASE);
        pushLong(offset);
        mv.visitInsn(LADD);
        mv.visitVarInsn(LSTORE, NPC);
        mv.visitJumpInsn(GOTO, exit);
    }

    /** Transfers to page offset {@code target} after a taken branch or jump at slot {@code s}; n is up to date. */
    private void transfer(int s, long target) {
        final boolean inPage = target >= 0 && target < Ram.PAGE_SIZE;
        final int t = (int) (target >>> 1);
        if (inPage && inPart(t) && labels[t] != null) {
            if (t <= s) {
                // a back-edge: where the budget is checked, so guest loops cannot run past it
                final Label out = new Label();
                mv.visitVarInsn(ILOAD, N);
                mv.visitVarInsn(ILOAD, LIMIT);
                mv.visitJumpInsn(IF_ICMPGE, out);
                mv.visitJumpInsn(GOTO, labels[t]);
                mv.visitLabel(out);
            } else {
                mv.visitJumpInsn(GOTO, labels[t]);
                return;
            }
        }
        leaveToOffset(target);
    }

    private int newSite(int s, Insn in) {
        sites.add(new int[] {2 * s, in.length, pending});
        return sites.size() - 1;
    }

    // ---- instructions; each returns whether control falls through to the next one ----

    private boolean emitInstruction(int s, Insn in, Kind k) {
        switch (k) {
            case ALU:
                emitAlu(s, in);
                pending++;
                return true;
            case NOP:
                pending++;
                return true;
            case MEMORY:
                emitMemory(s, in);
                pending++;
                return true;
            case HELPER:
                emitHelper(s, in);
                pending++;
                return true;
            case BRANCH:
                emitBranch(s, in);
                return true;
            case JUMP:
                if (in.rd != 0) {
                    mv.visitVarInsn(LLOAD, VBASE);
                    pushLong(2L * s + in.length);
                    mv.visitInsn(LADD);
                    mv.visitVarInsn(LSTORE, reg(in.rd));
                }
                pending++;
                flushPending();
                transfer(s, 2L * s + in.imm);
                return false;
            case JUMP_REGISTER:
                emitJumpRegister(s, in);
                return false;
            default:
                throw new IllegalStateException("not translated: " + in.op);
        }
    }

    private void emitAlu(int s, Insn in) {
        if (in.rd == 0) {
            return; // no effect: these cannot trap
        }
        switch (in.op) {
            case LUI: pushLong(in.imm); break;
            case AUIPC:
                mv.visitVarInsn(LLOAD, VBASE);
                pushLong(2L * s + in.imm);
                mv.visitInsn(LADD);
                break;
            case ADDI: binaryImm(in, LADD); break;
            case XORI: binaryImm(in, LXOR); break;
            case ORI: binaryImm(in, LOR); break;
            case ANDI: binaryImm(in, LAND); break;
            case SLTI: callImm(in, RVI, "slt"); break;
            case SLTIU: callImm(in, RVI, "sltu"); break;
            case SLLI: callImm(in, RVI, "sll"); break;
            case SRLI: callImm(in, RVI, "srl"); break;
            case SRAI: callImm(in, RVI, "sra"); break;
            case ADDIW: callImm(in, RVI, "addw"); break;
            case SLLIW: callImm(in, RVI, "sllw"); break;
            case SRLIW: callImm(in, RVI, "srlw"); break;
            case SRAIW: callImm(in, RVI, "sraw"); break;
            case ADD: binary(in, LADD); break;
            case SUB: binary(in, LSUB); break;
            case XOR: binary(in, LXOR); break;
            case OR: binary(in, LOR); break;
            case AND: binary(in, LAND); break;
            case MUL: binary(in, LMUL); break;
            case SLL: call(in, RVI, "sll"); break;
            case SLT: call(in, RVI, "slt"); break;
            case SLTU: call(in, RVI, "sltu"); break;
            case SRL: call(in, RVI, "srl"); break;
            case SRA: call(in, RVI, "sra"); break;
            case ADDW: call(in, RVI, "addw"); break;
            case SUBW: call(in, RVI, "subw"); break;
            case SLLW: call(in, RVI, "sllw"); break;
            case SRLW: call(in, RVI, "srlw"); break;
            case SRAW: call(in, RVI, "sraw"); break;
            case MULH: call(in, RVM, "mulh"); break;
            case MULHSU: call(in, RVM, "mulhsu"); break;
            case MULHU: call(in, RVM, "mulhu"); break;
            case DIV: call(in, RVM, "div"); break;
            case DIVU: call(in, RVM, "divu"); break;
            case REM: call(in, RVM, "rem"); break;
            case REMU: call(in, RVM, "remu"); break;
            case MULW: call(in, RVM, "mulw"); break;
            case DIVW: call(in, RVM, "divw"); break;
            case DIVUW: call(in, RVM, "divuw"); break;
            case REMW: call(in, RVM, "remw"); break;
            case REMUW: call(in, RVM, "remuw"); break;
            default: throw new IllegalStateException("no ALU translation for " + in.op);
        }
        mv.visitVarInsn(LSTORE, reg(in.rd));
    }

    private void binary(Insn in, int opcode) {
        loadReg(in.rs1);
        loadReg(in.rs2);
        mv.visitInsn(opcode);
    }

    private void binaryImm(Insn in, int opcode) {
        loadReg(in.rs1);
        pushLong(in.imm);
        mv.visitInsn(opcode);
    }

    private void call(Insn in, String owner, String name) {
        loadReg(in.rs1);
        loadReg(in.rs2);
        mv.visitMethodInsn(INVOKESTATIC, owner, name, "(JJ)J", false);
    }

    private void callImm(Insn in, String owner, String name) {
        loadReg(in.rs1);
        pushLong(in.imm);
        mv.visitMethodInsn(INVOKESTATIC, owner, name, "(JJ)J", false);
    }

    private void emitBranch(int s, Insn in) {
        pending++;
        flushPending();
        final Label notTaken = new Label();
        loadReg(in.rs1);
        loadReg(in.rs2);
        switch (in.op) {
            case BEQ: mv.visitInsn(LCMP); mv.visitJumpInsn(IFNE, notTaken); break;
            case BNE: mv.visitInsn(LCMP); mv.visitJumpInsn(IFEQ, notTaken); break;
            case BLT: mv.visitInsn(LCMP); mv.visitJumpInsn(IFGE, notTaken); break;
            case BGE: mv.visitInsn(LCMP); mv.visitJumpInsn(IFLT, notTaken); break;
            case BLTU:
                mv.visitMethodInsn(INVOKESTATIC, RVI, "bltu", "(JJ)Z", false);
                mv.visitJumpInsn(IFEQ, notTaken);
                break;
            case BGEU:
                mv.visitMethodInsn(INVOKESTATIC, RVI, "bgeu", "(JJ)Z", false);
                mv.visitJumpInsn(IFEQ, notTaken);
                break;
            default: throw new IllegalStateException("not a branch: " + in.op);
        }
        transfer(s, 2L * s + in.imm);
        mv.visitLabel(notTaken);
    }

    private void emitJumpRegister(int s, Insn in) {
        loadReg(in.rs1);
        pushLong(in.imm);
        mv.visitInsn(LADD);
        pushLong(~1L);
        mv.visitInsn(LAND);
        mv.visitVarInsn(LSTORE, NPC); // before rd is written: rd may be rs1
        if (in.rd != 0) {
            mv.visitVarInsn(LLOAD, VBASE);
            pushLong(2L * s + in.length);
            mv.visitInsn(LADD);
            mv.visitVarInsn(LSTORE, reg(in.rd));
        }
        pending++;
        flushPending();
        // A target in this page (returns from calls inside it, switch tables) re-enters through the dispatch
        // switch; anything else leaves. Either way the budget is checked, as at a back-edge.
        mv.visitVarInsn(LLOAD, NPC);
        mv.visitVarInsn(LLOAD, VBASE);
        mv.visitInsn(LSUB);
        mv.visitVarInsn(LSTORE, TMP);
        mv.visitVarInsn(LLOAD, TMP);
        pushInt(Ram.PAGE_SHIFT);
        mv.visitInsn(LUSHR);
        mv.visitInsn(LCONST_0);
        mv.visitInsn(LCMP);
        mv.visitJumpInsn(IFNE, exit);
        mv.visitVarInsn(ILOAD, N);
        mv.visitVarInsn(ILOAD, LIMIT);
        mv.visitJumpInsn(IF_ICMPGE, exit);
        mv.visitVarInsn(LLOAD, TMP);
        mv.visitInsn(L2I);
        mv.visitInsn(ICONST_1);
        mv.visitInsn(IUSHR);
        mv.visitVarInsn(ISTORE, SLOT);
        mv.visitJumpInsn(GOTO, dispatch);
    }

    private void emitHelper(int s, Insn in) {
        if (readsX(in)) {
            if (written[in.rs1]) {
                spill(in.rs1);
            }
            if (in.op.format == Format.AMO && written[in.rs2]) {
                spill(in.rs2);
            }
        }
        setSite(s, in);
        mv.visitVarInsn(ALOAD, CTX);
        mv.visitFieldInsn(GETFIELD, CONTEXT, "hart", "L" + HART + ";");
        mv.visitVarInsn(ALOAD, 0);
        mv.visitFieldInsn(GETFIELD, REGION, "helpers", "[L" + INSN + ";");
        pushInt(helpers.size());
        mv.visitInsn(AALOAD);
        helpers.add(in);
        mv.visitMethodInsn(INVOKEVIRTUAL, HART, "executeData", "(L" + INSN + ";)V", false);
        if (writesX(in) && in.rd != 0) {
            mv.visitVarInsn(ALOAD, X);
            pushInt(in.rd);
            mv.visitInsn(LALOAD);
            mv.visitVarInsn(LSTORE, reg(in.rd));
        }
    }

    private void setSite(int s, Insn in) {
        pushInt(newSite(s, in));
        mv.visitVarInsn(ISTORE, SITE);
    }

    // ---- memory: the TLB fast path inline, the MMU on a miss ----

    private void emitMemory(int s, Insn in) {
        final boolean store = in.op.format == Format.STORE;
        final int size;
        switch (in.op) {
            case LB: case LBU: case SB: size = 1; break;
            case LH: case LHU: case SH: size = 2; break;
            case LW: case LWU: case SW: size = 4; break;
            default: size = 8; break;
        }
        final Label slow = new Label();
        final Label done = new Label();
        loadReg(in.rs1);
        pushLong(in.imm);
        mv.visitInsn(LADD);
        mv.visitVarInsn(LSTORE, VA);
        // i = (int) (va >>> 12) & TLB_MASK; hit when tag[i] == va >>> 12 and the access stays in the page
        mv.visitVarInsn(LLOAD, VA);
        pushInt(Ram.PAGE_SHIFT);
        mv.visitInsn(LUSHR);
        mv.visitInsn(L2I);
        pushInt(io.sublet.cpu.Mmu.TLB_MASK);
        mv.visitInsn(IAND);
        mv.visitVarInsn(ISTORE, TI);
        mv.visitVarInsn(ALOAD, store ? STAG : LTAG);
        mv.visitVarInsn(ILOAD, TI);
        mv.visitInsn(LALOAD);
        mv.visitVarInsn(LLOAD, VA);
        pushInt(Ram.PAGE_SHIFT);
        mv.visitInsn(LUSHR);
        mv.visitInsn(LCMP);
        mv.visitJumpInsn(IFNE, slow);
        mv.visitVarInsn(LLOAD, VA);
        mv.visitInsn(L2I);
        pushInt(Ram.PAGE_SIZE - 1);
        mv.visitInsn(IAND);
        mv.visitVarInsn(ISTORE, OFF);
        if (size > 1) {
            mv.visitVarInsn(ILOAD, OFF);
            pushInt(Ram.PAGE_SIZE - size);
            mv.visitJumpInsn(IF_ICMPGT, slow);
        }
        if (size > 1) {
            mv.visitFieldInsn(GETSTATIC, RAM, size == 2 ? "LE16" : size == 4 ? "LE32" : "LE64", "L" + VH + ";");
        }
        mv.visitVarInsn(ALOAD, MEM);
        mv.visitVarInsn(ALOAD, store ? SIDX : LIDX);
        mv.visitVarInsn(ILOAD, TI);
        mv.visitInsn(IALOAD);
        mv.visitVarInsn(ILOAD, OFF);
        mv.visitInsn(IADD);
        if (store) {
            loadReg(in.rs2);
            switch (size) {
                case 1:
                    mv.visitInsn(L2I);
                    mv.visitInsn(I2B);
                    mv.visitMethodInsn(INVOKEVIRTUAL, BUFFER, "put", "(IB)L" + BUFFER + ";", false);
                    mv.visitInsn(POP);
                    break;
                case 2:
                    mv.visitInsn(L2I);
                    mv.visitInsn(I2S);
                    mv.visitMethodInsn(INVOKEVIRTUAL, VH, "set", "(L" + BUFFER + ";IS)V", false);
                    break;
                case 4:
                    mv.visitInsn(L2I);
                    mv.visitMethodInsn(INVOKEVIRTUAL, VH, "set", "(L" + BUFFER + ";II)V", false);
                    break;
                default:
                    mv.visitMethodInsn(INVOKEVIRTUAL, VH, "set", "(L" + BUFFER + ";IJ)V", false);
            }
            mv.visitJumpInsn(GOTO, done);
            mv.visitLabel(slow);
            setSite(s, in);
            mv.visitVarInsn(ALOAD, MMU_L);
            mv.visitVarInsn(LLOAD, VA);
            loadReg(in.rs2);
            mv.visitMethodInsn(INVOKEVIRTUAL, MMU, size == 1 ? "sb" : size == 2 ? "sh" : size == 4 ? "sw" : "sd",
                    "(JJ)V", false);
            mv.visitLabel(done);
            return;
        }
        switch (size) {
            case 1: mv.visitMethodInsn(INVOKEVIRTUAL, BUFFER, "get", "(I)B", false); mv.visitInsn(I2L); break;
            case 2: mv.visitMethodInsn(INVOKEVIRTUAL, VH, "get", "(L" + BUFFER + ";I)S", false); mv.visitInsn(I2L); break;
            case 4: mv.visitMethodInsn(INVOKEVIRTUAL, VH, "get", "(L" + BUFFER + ";I)I", false); mv.visitInsn(I2L); break;
            default: mv.visitMethodInsn(INVOKEVIRTUAL, VH, "get", "(L" + BUFFER + ";I)J", false); break;
        }
        zeroExtend(in);
        storeLoaded(in.rd);
        mv.visitJumpInsn(GOTO, done);
        mv.visitLabel(slow);
        setSite(s, in);
        mv.visitVarInsn(ALOAD, MMU_L);
        mv.visitVarInsn(LLOAD, VA);
        mv.visitMethodInsn(INVOKEVIRTUAL, MMU, size == 1 ? "lb" : size == 2 ? "lh" : size == 4 ? "lw" : "ld", "(J)J",
                false);
        zeroExtend(in);
        storeLoaded(in.rd);
        mv.visitLabel(done);
    }

    private void zeroExtend(Insn in) {
        switch (in.op) {
            case LBU: pushLong(0xffL); mv.visitInsn(LAND); break;
            case LHU: pushLong(0xffffL); mv.visitInsn(LAND); break;
            case LWU: pushLong(0xffffffffL); mv.visitInsn(LAND); break;
            default: break;
        }
    }

    /** A load into x0 still accesses memory (and may trap); its value is dropped. */
    private void storeLoaded(int rd) {
        if (rd == 0) {
            mv.visitInsn(POP2);
        } else {
            mv.visitVarInsn(LSTORE, reg(rd));
        }
    }

    // ---- operands ----

    private static int reg(int r) {
        return REG0 + 2 * (r - 1);
    }

    private void loadReg(int r) {
        if (r == 0) {
            mv.visitInsn(LCONST_0);
        } else {
            mv.visitVarInsn(LLOAD, reg(r));
        }
    }

    private void pushInt(int v) {
        if (v >= -1 && v <= 5) {
            mv.visitInsn(ICONST_0 + v);
        } else if (v >= Byte.MIN_VALUE && v <= Byte.MAX_VALUE) {
            mv.visitIntInsn(BIPUSH, v);
        } else if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) {
            mv.visitIntInsn(SIPUSH, v);
        } else {
            mv.visitLdcInsn(v);
        }
    }

    private void pushLong(long v) {
        if (v == 0 || v == 1) {
            mv.visitInsn(v == 0 ? LCONST_0 : LCONST_1);
        } else if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) {
            pushInt((int) v);
            mv.visitInsn(I2L);
        } else {
            mv.visitLdcInsn(v);
        }
    }
}
