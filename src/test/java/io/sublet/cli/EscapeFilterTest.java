package io.sublet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sublet.cli.EscapeFilter.Action;
import org.junit.jupiter.api.Test;

class EscapeFilterTest {
    @Test
    void ordinaryBytesPassThrough() {
        final EscapeFilter f = new EscapeFilter();
        assertEquals(Action.FORWARD, f.feed('l'));
        assertEquals('l', f.lastByte());
        assertEquals(Action.FORWARD, f.feed(3), "Ctrl-C goes to the guest");
    }

    @Test
    void ctrlAEscapes() {
        final EscapeFilter f = new EscapeFilter();
        assertEquals(Action.NONE, f.feed(EscapeFilter.CTRL_A));
        assertEquals(Action.QUIT, f.feed('x'));
        assertEquals(Action.NONE, f.feed(EscapeFilter.CTRL_A));
        assertEquals(Action.MONITOR, f.feed('c'));
        assertEquals(Action.NONE, f.feed(EscapeFilter.CTRL_A));
        assertEquals(Action.FORWARD, f.feed(EscapeFilter.CTRL_A));
        assertEquals(EscapeFilter.CTRL_A, f.lastByte());
        assertEquals(Action.NONE, f.feed(EscapeFilter.CTRL_A));
        assertEquals(Action.NONE, f.feed('z'), "unknown escapes are dropped");
        assertEquals(Action.FORWARD, f.feed('x'), "the escape ended: a plain x is typed");
    }
}
