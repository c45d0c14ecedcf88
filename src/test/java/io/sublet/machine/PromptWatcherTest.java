package io.sublet.machine;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PromptWatcherTest {
    @Test
    void recognisesShellPrompts() {
        assertTrue(PromptWatcher.isPrompt("root@sublet:~# "));
        assertTrue(PromptWatcher.isPrompt("~ # \u001b[6n"));
        assertTrue(PromptWatcher.isPrompt("user@host:/tmp$ "));
    }

    @Test
    void kernelLinesAndOrdinaryTextAreNotPrompts() {
        assertFalse(PromptWatcher.isPrompt("[    6.9] foo: bar # "), "a kernel line mid-way, at a '# '");
        assertFalse(PromptWatcher.isPrompt("root@sublet:~# ls"));
        assertFalse(PromptWatcher.isPrompt("x".repeat(100) + "# "));
    }
}
