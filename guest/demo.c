/* Sublet's built-in bare-metal demo: says what it runs on, draws a small
 * Mandelbrot set with fixed-point integer arithmetic, reports how many
 * instructions it retired, and exits with status 0. */
#include "htif.h"

#ifdef __riscv_flen
#define BUILT_FOR "rv64imafdc"
#else
#define BUILT_FOR "rv64imac"
#endif

static void print_misa(uint64_t misa)
{
    if (misa == 0) {
        puts("(misa not implemented)");
        return;
    }
    static const int xlen[4] = { 0, 32, 64, 128 };
    printf("RV%d", xlen[misa >> 62]);
    for (int bit = 0; bit < 26; bit++)
        if (misa & (1ULL << bit))
            putchar('A' + bit);
}

/* Fixed point with FRAC fractional bits; |z| stays below 2^2 before we stop,
 * so z*z fits easily in 64 bits. */
#define FRAC  24
#define FIX(n, d) ((int64_t)(n) * (1LL << FRAC) / (d))
#define COLS  72
#define ROWS  24
#define ITERS 64

static char picture[ROWS][COLS + 4];

/* Renders into picture[]: no output while computing, so the instruction
 * count of the computation is not mixed with console waits. */
static void mandelbrot(void)
{
    static const char shade[] = " .,:;-=+*%#@";
    const int64_t x0 = FIX(-22, 10), x1 = FIX(8, 10);    /* -2.2 .. 0.8 */
    const int64_t y0 = FIX(-12, 10), y1 = FIX(12, 10);   /* -1.2 .. 1.2 */
    const int64_t dx = (x1 - x0) / COLS, dy = (y1 - y0) / ROWS;
    const int64_t four = FIX(4, 1);
    for (int row = 0; row < ROWS; row++) {
        int64_t ci = y0 + row * dy + dy / 2;
        char *out = picture[row];
        *out++ = ' ';
        *out++ = ' ';
        for (int col = 0; col < COLS; col++) {
            int64_t cr = x0 + col * dx + dx / 2;
            int64_t zr = 0, zi = 0;
            int n = 0;
            while (n < ITERS) {
                int64_t rr = (zr * zr) >> FRAC, ii = (zi * zi) >> FRAC;
                if (rr + ii > four)
                    break;
                zi = ((zr * zi) >> (FRAC - 1)) + ci;
                zr = rr - ii + cr;
                n++;
            }
            /* square-root scale: the fast-escaping outside gets more shades */
            int idx = 0;
            while (idx < (int)sizeof shade - 3 && (idx + 1) * (idx + 1) * ITERS <= n * 100)
                idx++;
            *out++ = n == ITERS ? '@' : shade[idx];
        }
        *out++ = '\n';
        *out = 0;
    }
}

int main(void)
{
    uint64_t misa = READ_CSR(misa);
    puts("\n");
    puts("  Sublet bare-metal demo\n");
    puts("  A small program built into Sublet, running with no operating system\n");
    puts("  in M mode on Sublet's emulated RISC-V machine (console: HTIF).\n\n");
    printf("  built for   %s\n", BUILT_FOR);
    puts("  hart        ");
    print_misa(misa);
    printf("  (misa %016lx)\n", misa);
    printf("  mhartid     %lu\n", READ_CSR(mhartid));
    printf("  mvendorid   %lx\n", READ_CSR(mvendorid));
    printf("  marchid     %lx\n", READ_CSR(marchid));
    printf("  mimpid      %lx\n\n", READ_CSR(mimpid));

    puts("  The Mandelbrot set, in 64-bit fixed-point integer arithmetic:\n\n");
    uint64_t start = read_minstret();
    mandelbrot();
    uint64_t work = read_minstret() - start;
    for (int row = 0; row < ROWS; row++)
        puts(picture[row]);

    printf("\n  Drawing it took %lu instructions; %lu retired in all so far (minstret,\n"
           "  including the waits for the console). Exiting with status 0.\n\n",
           work, read_minstret());
    return 0;
}
