package io.sublet.isa;

/** The ISA extension that defines an instruction, as named in the RISC-V specifications. */
public enum Extension {
    /** RV64I base integer instructions. */
    I,
    /** Instruction-fetch fence. */
    ZIFENCEI,
    /** Control and status register instructions. */
    ZICSR,
    /** Integer multiplication and division. */
    M,
    /** Atomic instructions. */
    A,
    /** Single-precision floating point. */
    F,
    /** Double-precision floating point. */
    D,
    /** Instructions of the privileged architecture (trap return, WFI, SFENCE.VMA). */
    PRIV,
    /** Not an instruction: the decoding of every reserved or illegal encoding. */
    NONE
}
