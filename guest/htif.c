/* HTIF console output and exit for Sublet's bare-metal guest programs.
 *
 * Protocol (device 1 = console, command 1 = put byte):
 *   guest writes (1<<56)|(1<<48)|ch to tohost;
 *   host prints ch, writes a nonzero value to fromhost and clears tohost;
 *   guest waits for fromhost != 0, clears it, and only then sends the next byte.
 * Exit: guest writes (code<<1)|1 to tohost (code 0 = success) and waits forever.
 */
#include <stdarg.h>
#include "htif.h"

volatile uint64_t tohost   __attribute__((section(".htif"), aligned(64))) = 0;
volatile uint64_t fromhost __attribute__((section(".htif"), aligned(64))) = 0;

void putchar(int c)
{
    tohost = (1ULL << 56) | (1ULL << 48) | (uint8_t)c;
    while (fromhost == 0)
        ;
    fromhost = 0;
}

void puts(const char *s)
{
    while (*s)
        putchar(*s++);
}

void exit(int code)
{
    tohost = ((uint64_t)(uint32_t)code << 1) | 1;
    for (;;)
        ;
}

/* Called by crt0 on any trap: the programs never expect one. */
void guest_trap(uint64_t mcause, uint64_t mepc, uint64_t mtval)
{
    printf("\nunexpected trap: mcause=%lx mepc=%lx mtval=%lx\n", mcause, mepc, mtval);
    exit(3);
}

static void put_uint(uint64_t v, unsigned base, int width, char pad, int neg)
{
    char buf[24];
    int n = 0;
    do {
        unsigned d = (unsigned)(v % base);
        buf[n++] = (char)(d < 10 ? '0' + d : 'a' + d - 10);
        v /= base;
    } while (v);
    if (neg && pad == '0')
        putchar('-');
    for (int i = n + neg; i < width; i++)
        putchar(pad);
    if (neg && pad != '0')
        putchar('-');
    while (n)
        putchar(buf[--n]);
}

void printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    for (; *fmt; fmt++) {
        if (*fmt != '%') {
            putchar(*fmt);
            continue;
        }
        fmt++;
        char pad = ' ';
        int width = 0, longs = 0, left = 0;
        if (*fmt == '-') {
            left = 1;
            fmt++;
        }
        if (*fmt == '0') {
            pad = '0';
            fmt++;
        }
        while (*fmt >= '0' && *fmt <= '9')
            width = width * 10 + (*fmt++ - '0');
        while (*fmt == 'l') {
            longs++;
            fmt++;
        }
        switch (*fmt) {
        case 'd': {
            int64_t v = longs ? va_arg(ap, int64_t) : va_arg(ap, int);
            put_uint(v < 0 ? -(uint64_t)v : (uint64_t)v, 10, width, pad, v < 0);
            break;
        }
        case 'u':
            put_uint(longs ? va_arg(ap, uint64_t) : va_arg(ap, unsigned), 10, width, pad, 0);
            break;
        case 'x':
            put_uint(longs ? va_arg(ap, uint64_t) : va_arg(ap, unsigned), 16, width, pad, 0);
            break;
        case 'c':
            putchar(va_arg(ap, int));
            break;
        case 's': {
            const char *s = va_arg(ap, const char *);
            int n = 0;
            while (s[n])
                n++;
            if (!left)
                for (int i = n; i < width; i++)
                    putchar(' ');
            puts(s);
            if (left)
                for (int i = n; i < width; i++)
                    putchar(' ');
            break;
        }
        case '%':
            putchar('%');
            break;
        case '\0':
            fmt--;
            break;
        default:
            putchar('%');
            putchar(*fmt);
            break;
        }
    }
    va_end(ap);
}
