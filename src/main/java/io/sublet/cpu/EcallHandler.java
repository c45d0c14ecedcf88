package io.sublet.cpu;

/**
 * Handles environment calls from S mode in the VMM instead of in guest M-mode firmware: the
 * paravirtual path, where the SBI is implemented in Java as a hypervisor implements hypercalls.
 */
@FunctionalInterface
public interface EcallHandler {
    /**
     * Called on the hart's thread for an {@code ecall} from S mode. Returns true when the call was
     * handled (the hart then continues after the ecall), false to deliver it as a trap as usual.
     */
    boolean onSupervisorEcall(Hart hart);
}
