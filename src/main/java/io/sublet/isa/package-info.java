/**
 * Instruction-set layer: decoding of RV64GC instruction words (32-bit and compressed 16-bit) into {@link
 * io.sublet.isa.Insn}, the {@link io.sublet.isa.Opcode} table those decoders are built from, and a disassembler.
 * Pure functions with no state; nothing here knows about harts, memory or devices.
 */
package io.sublet.isa;
