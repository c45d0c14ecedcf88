package io.sublet.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sublet.isa.Decoder;
import io.sublet.isa.Disassembler;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BootRomTest {
    private static List<String> code(byte[] rom) {
        final ByteBuffer b = ByteBuffer.wrap(rom).order(ByteOrder.LITTLE_ENDIAN);
        final List<String> out = new ArrayList<>();
        for (int pc = 0; b.getInt(pc) != 0; pc += 4) {
            out.add(Disassembler.format(Decoder.decode(b.getInt(pc)), BootRom.BASE + pc));
        }
        return out;
    }

    @Test
    void firmwareRomPassesHartDtbAndDynamicInfo() {
        final byte[] rom = BootRom.forFirmware(0x8000_0000L, 0x8fe0_0000L, 0x8020_0000L);
        assertEquals(List.of(
                "auipc\tt0,0x0",
                "csrrs\ta0,mhartid,zero",
                "ld\ta1,264(t0)",
                "addi\ta2,t0,272",
                "ld\tt0,256(t0)",
                "jalr\tzero,0(t0)"), code(rom));
        final ByteBuffer b = ByteBuffer.wrap(rom).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(0x8000_0000L, b.getLong(0x100));
        assertEquals(0x8fe0_0000L, b.getLong(0x108));
        assertEquals(BootRom.FW_DYNAMIC_MAGIC, b.getLong(0x110));
        assertEquals(0x8020_0000L, b.getLong(0x120), "fw_dynamic_info.next_addr is the kernel");
        assertEquals(BootRom.NEXT_MODE_S, b.getLong(0x128));
    }

    @Test
    void kernelRomSetsUpMachineModeAndReturnsToSupervisor() {
        final List<String> code = code(BootRom.forKernel(0x8020_0000L, 0x8fe0_0000L));
        assertEquals("csrrw\tzero,pmpaddr0,t2", code.get(2));
        assertEquals("csrrw\tzero,pmpcfg0,t2", code.get(4));
        assertEquals("csrrw\tzero,medeleg,t2", code.get(6));
        assertEquals("csrrw\tzero,mideleg,t2", code.get(8));
        assertEquals("addi\tt2,zero,7", code.get(11));
        assertEquals("csrrw\tzero,scounteren,t2", code.get(12), "user mode may read cycle, time, instret");
        assertEquals("csrrw\tzero,mstatus,t2", code.get(15));
        assertEquals("csrrw\tzero,mepc,t1", code.get(17));
        assertEquals("mret", code.get(code.size() - 1));
    }
}
