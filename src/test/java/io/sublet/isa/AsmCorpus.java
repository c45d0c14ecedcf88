package io.sublet.isa;

/**
 * A source file for the GNU assembler with every RV64GC instruction Sublet decodes, in the forms and with the
 * boundary operands that exercise the decoder: extreme immediates, x0 and x31, every rounding mode, every
 * ordering suffix. Assembled once for {@code rv64g} (all 32-bit) and once for {@code rv64gc}, where the assembler
 * picks compressed encodings wherever one exists, plus a section of explicit {@code c.*} instructions.
 */
final class AsmCorpus {
    private AsmCorpus() {
    }

    /** Relaxation off so that branch offsets are resolved by the assembler, not left to relocations. */
    static final String BASE = """
        .option norelax
        start:
            lui     zero, 0
            lui     a0, 0x12345
            lui     t6, 0xfffff
            lui     s0, 0x80000
            lui     a5, 0x1f
            auipc   ra, 0
            auipc   t1, 0xfffff
            auipc   a0, 0x7ffff
            jal     ra, start
            jal     zero, forward
            jal     t6, start
            jalr    ra, 0(a0)
            jalr    zero, 0(ra)
            jalr    a5, -2048(t1)
            jalr    zero, 2047(s11)
            beq     a0, a1, start
            bne     zero, t6, forward
            blt     s0, s1, start
            bge     a0, zero, forward
            bltu    t0, t1, start
            bgeu    a2, a3, forward
            beq     s0, zero, forward
            bne     a5, zero, start
            lb      a0, 0(a1)
            lh      t0, -1(sp)
            lw      a0, 2047(s0)
            lw      a1, 124(sp)
            lw      a2, 4(a3)
            ld      a0, -2048(gp)
            ld      s1, 8(sp)
            ld      a4, 248(a5)
            lbu     zero, 1(zero)
            lhu     t6, -2(t5)
            lwu     a0, 100(a0)
            sb      a0, 0(a1)
            sh      t0, -1(sp)
            sw      zero, 2047(s0)
            sw      a1, 252(sp)
            sw      a2, 4(a3)
            sd      a0, -2048(gp)
            sd      s1, 504(sp)
            sd      a4, 248(a5)
            addi    zero, zero, 0
            addi    a0, a0, 1
            addi    a0, zero, -32
            addi    sp, sp, -512
            addi    sp, sp, 496
            addi    s0, sp, 1020
            addi    t6, t5, 2047
            addi    t6, t5, -2048
            slti    a0, a1, -1
            sltiu   a0, a1, 1
            xori    a0, a1, -1
            ori     a0, a1, 0x7ff
            andi    s0, s0, -32
            andi    a0, a1, 0
            slli    a0, a0, 63
            slli    t6, t5, 0
            slli    s0, s0, 1
            srli    a0, a1, 63
            srli    s1, s1, 32
            srai    a0, a1, 1
            srai    a5, a5, 63
            add     a0, a1, a2
            add     a0, a0, a1
            add     a0, zero, a1
            sub     s0, s0, s1
            sub     a0, a1, a2
            sll     a0, a1, a2
            slt     t0, t1, t2
            sltu    a0, zero, a1
            xor     a5, a5, a4
            srl     a0, a1, a2
            sra     a0, a1, a2
            or      a3, a3, a2
            and     s1, s1, s0
            addiw   a0, a0, 0
            addiw   a0, a1, -2048
            addiw   t6, t6, 31
            slliw   a0, a1, 31
            srliw   a0, a1, 0
            sraiw   a0, a1, 17
            addw    a0, a0, a1
            addw    t0, t1, t2
            subw    s0, s0, a5
            subw    t0, t1, t2
            sllw    a0, a1, a2
            srlw    a0, a1, a2
            sraw    a0, a1, a2
            fence   iorw, iorw
            fence   r, rw
            fence   w, o
            fence   i, r
            fence.tso
            fence.i
            ecall
            ebreak
        forward:
            csrrw   ra, mstatus, a0
            csrrs   a0, satp, zero
            csrrc   zero, sie, t6
            csrrw   a0, 0x7c0, a1
            csrrs   a0, 0xfff, zero
            csrrs   a0, cycle, zero
            csrrs   a0, fcsr, zero
            csrrwi  a0, mscratch, 31
            csrrsi  zero, sstatus, 2
            csrrci  t0, mie, 0
            csrrw   zero, pmpaddr63, a0
            csrrs   a0, mhpmcounter31, zero
            mul     a0, a1, a2
            mulh    a0, a1, a2
            mulhsu  a0, a1, a2
            mulhu   a0, a1, a2
            div     a0, a1, a2
            divu    a0, a1, a2
            rem     a0, a1, a2
            remu    a0, a1, a2
            mulw    a0, a1, a2
            divw    a0, a1, a2
            divuw   a0, a1, a2
            remw    a0, a1, a2
            remuw   t6, zero, s11
            lr.w    a0, (a1)
            lr.w.aq a0, (a1)
            lr.d.rl a0, (a1)
            lr.d.aqrl t6, (sp)
            sc.w    a0, a1, (a2)
            sc.d.aqrl a0, a1, (a2)
            amoswap.w a0, a1, (a2)
            amoadd.w.aq a0, a1, (a2)
            amoxor.w.rl a0, a1, (a2)
            amoand.w.aqrl a0, a1, (a2)
            amoor.w zero, a1, (a2)
            amomin.w a0, a1, (a2)
            amomax.w a0, a1, (a2)
            amominu.w a0, a1, (a2)
            amomaxu.w a0, a1, (a2)
            amoswap.d.aqrl a0, a1, (a2)
            amoadd.d a0, a1, (a2)
            amoxor.d a0, a1, (a2)
            amoand.d a0, a1, (a2)
            amoor.d.aq a0, a1, (a2)
            amomin.d a0, a1, (a2)
            amomax.d a0, a1, (a2)
            amominu.d.rl a0, a1, (a2)
            amomaxu.d a0, a1, (a2)
            mret
            sret
            wfi
            sfence.vma zero, zero
            sfence.vma a0, zero
            sfence.vma a0, a1
            flw     fa0, 0(a0)
            flw     ft11, -2048(sp)
            fsw     fs11, 2047(t0)
            fmadd.s fa0, fa1, fa2, fa3
            fmadd.s fa0, fa1, fa2, fa3, rne
            fmsub.s ft0, ft1, ft2, ft3, rtz
            fnmsub.s fs0, fs1, fs2, fs3, rdn
            fnmadd.s ft8, ft9, ft10, ft11, rup
            fadd.s  fa0, fa1, fa2
            fadd.s  fa0, fa1, fa2, rmm
            fsub.s  fa0, fa1, fa2
            fmul.s  fa0, fa1, fa2, dyn
            fdiv.s  fa0, fa1, fa2, rtz
            fsqrt.s fa0, fa1
            fsqrt.s fa0, fa1, rne
            fsgnj.s fa0, fa1, fa2
            fsgnjn.s fa0, fa1, fa1
            fsgnjx.s fa0, fa1, fa2
            fmin.s  fa0, fa1, fa2
            fmax.s  fa0, fa1, fa2
            fcvt.w.s a0, fa0
            fcvt.w.s a0, fa0, rtz
            fcvt.wu.s a0, fa0, rdn
            fcvt.l.s a0, fa0
            fcvt.lu.s a0, fa0, rup
            fmv.x.w a0, ft0
            feq.s   a0, fa0, fa1
            flt.s   a0, fa0, fa1
            fle.s   a0, fa0, fa1
            fclass.s a0, fa0
            fcvt.s.w fa0, a0
            fcvt.s.wu fa0, a0, rtz
            fcvt.s.l fa0, a0, rne
            fcvt.s.lu fa0, a0
            fmv.w.x ft0, a0
            fld     fa0, 0(a0)
            fld     fs0, 8(sp)
            fld     fa5, 248(a5)
            fld     ft11, -2048(sp)
            fsd     fa0, 0(a0)
            fsd     fs0, 504(sp)
            fsd     fa5, 248(a5)
            fsd     fs11, 2047(t0)
            fmadd.d fa0, fa1, fa2, fa3
            fmsub.d ft0, ft1, ft2, ft3, rtz
            fnmsub.d fs0, fs1, fs2, fs3, rdn
            fnmadd.d ft8, ft9, ft10, ft11, rmm
            fadd.d  fa0, fa1, fa2
            fsub.d  fa0, fa1, fa2, rne
            fmul.d  fa0, fa1, fa2
            fdiv.d  fa0, fa1, fa2
            fsqrt.d fa0, fa1, rup
            fsgnj.d fa0, fa1, fa2
            fsgnjn.d fa0, fa1, fa2
            fsgnjx.d fa0, fa1, fa1
            fmin.d  fa0, fa1, fa2
            fmax.d  fa0, fa1, fa2
            fcvt.w.d a0, fa0, rtz
            fcvt.wu.d a0, fa0
            fcvt.l.d a0, fa0
            fcvt.lu.d a0, fa0, rmm
            feq.d   a0, fa0, fa1
            flt.d   a0, fa0, fa1
            fle.d   a0, fa0, fa1
            fclass.d a0, fa0
            fcvt.d.w fa0, a0
            fcvt.d.wu fa0, a0
            fcvt.d.l fa0, a0
            fcvt.d.lu fa0, a0, rtz
            fcvt.s.d fa0, fa1
            fcvt.s.d fa0, fa1, rne
            fcvt.d.s fa0, fa1
            fmv.x.d a0, fa0
            fmv.d.x fa0, a0
            j       start
        """;

    /** Every compressed instruction with boundary operands; only assembles with the C extension. */
    static final String COMPRESSED = """
        .option norelax
        back:
            c.addi4spn s0, sp, 4
            c.addi4spn a5, sp, 1020
            c.fld   fs0, 0(s0)
            c.fld   fa5, 248(a5)
            c.lw    s0, 0(s0)
            c.lw    a5, 124(a5)
            c.lw    a0, 4(a1)
            c.lw    a0, 64(a1)
            c.ld    s0, 0(s0)
            c.ld    a5, 248(a5)
            c.fsd   fs0, 0(s0)
            c.fsd   fa5, 248(a5)
            c.sw    s0, 0(s0)
            c.sw    a5, 124(a5)
            c.sd    a5, 248(a5)
            c.nop
            c.addi  a0, 1
            c.addi  t6, -32
            c.addi  sp, 31
            c.addiw a0, 0
            c.addiw t6, -32
            c.addiw ra, 31
            c.li    a0, 0
            c.li    t6, -32
            c.li    ra, 31
            c.addi16sp sp, -512
            c.addi16sp sp, 496
            c.addi16sp sp, 16
            c.lui   a0, 1
            c.lui   t6, 0x1f
            c.lui   ra, 0xfffe0
            c.lui   s0, 0xfffff
            c.srli  s0, 1
            c.srli  a5, 63
            c.srli  a0, 32
            c.srai  s0, 1
            c.srai  a5, 63
            c.andi  s0, -32
            c.andi  a5, 31
            c.andi  a0, 0
            c.sub   s0, a5
            c.xor   a0, a1
            c.or    a2, a3
            c.and   a4, s1
            c.subw  s0, a5
            c.addw  a5, s0
            c.j     back
            c.j     fwd
            c.beqz  s0, back
            c.bnez  a5, fwd
            c.slli  a0, 1
            c.slli  t6, 63
            c.slli  ra, 32
            c.fldsp fa0, 0(sp)
            c.fldsp ft11, 504(sp)
            c.lwsp  ra, 0(sp)
            c.lwsp  t6, 252(sp)
            c.ldsp  ra, 0(sp)
            c.ldsp  t6, 504(sp)
            c.jr    ra
            c.jr    t6
            c.mv    a0, a1
            c.mv    t6, ra
            c.ebreak
            c.jalr  a0
            c.jalr  t6
            c.add   a0, a1
            c.add   t6, t6
            c.fsdsp fs11, 504(sp)
            c.fsdsp ft0, 0(sp)
            c.swsp  t6, 252(sp)
            c.swsp  zero, 0(sp)
            c.sdsp  t6, 504(sp)
            c.sdsp  ra, 0(sp)
        fwd:
            c.nop
        """;
}
