/* HTIF console and exit, and a tiny printf, for Sublet's bare-metal guests. */
#ifndef SUBLET_GUEST_HTIF_H
#define SUBLET_GUEST_HTIF_H

#include <stdint.h>
#include <stddef.h>

extern volatile uint64_t tohost;
extern volatile uint64_t fromhost;

void putchar(int c);
void puts(const char *s);            /* no newline appended */
void printf(const char *fmt, ...);   /* %d %u %x %s %c %%, l/ll, width, 0-pad */
__attribute__((noreturn)) void exit(int code);   /* code 0 = success */

static inline uint64_t read_minstret(void)
{
    uint64_t v;
    __asm__ volatile("csrr %0, minstret" : "=r"(v));
    return v;
}

static inline uint64_t read_mcycle(void)
{
    uint64_t v;
    __asm__ volatile("csrr %0, mcycle" : "=r"(v));
    return v;
}

#define READ_CSR(name) ({ uint64_t v_; __asm__ volatile("csrr %0, " #name : "=r"(v_)); v_; })

#endif
