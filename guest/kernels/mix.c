/* bench mix: three small programs of different character, run in turn:
 *   1. LZ compression of generated English-like text (our own simple
 *      format: literal run + back reference), decompression, comparison;
 *   2. word-frequency counting of the same text in an open-addressing
 *      hash table;
 *   3. a bytecode interpreter (switch dispatch, stack machine) running a
 *      Collatz-steps program and a sieve of Eratosthenes.            */
#include "kernel.h"

/* ---------------------------------------------------------------- text */

#define TEXT_BYTES (512u << 10)
#define VOCAB      256

static uint8_t text[TEXT_BYTES];
static uint8_t vocab[VOCAB][12];
static uint8_t vocab_len[VOCAB];

static void make_text(void)
{
    uint64_t s = 0x74657874ULL;         /* "text" */
    for (int w = 0; w < VOCAB; w++) {
        int len = 2 + (int)(lcg_next(&s) >> 62) + (int)(lcg_next(&s) >> 61);   /* 2..12 */
        if (len > 11) len = 11;
        for (int k = 0; k < len; k++)
            vocab[w][k] = (uint8_t)('a' + (lcg_next(&s) >> 32) % 26);
        vocab_len[w] = (uint8_t)len;
    }
    size_t n = 0;
    int capital = 1;
    while (n + 16 < TEXT_BYTES) {
        uint64_t r = lcg_next(&s);
        /* skewed choice: small indices (common words) are much likelier */
        unsigned w = (unsigned)((r >> 56) & (r >> 48)) & (VOCAB - 1);
        for (int k = 0; k < vocab_len[w]; k++) {
            uint8_t c = vocab[w][k];
            text[n++] = (k == 0 && capital) ? (uint8_t)(c - 'a' + 'A') : c;
        }
        capital = 0;
        unsigned p = (unsigned)(r >> 20) & 31;
        if (p == 0) {
            text[n++] = '.';
            capital = 1;
        } else if (p == 1) {
            text[n++] = ',';
        }
        text[n++] = (p == 0 && ((r >> 8) & 3) == 0) ? '\n' : ' ';
    }
    while (n < TEXT_BYTES)
        text[n++] = ' ';
}

/* ------------------------------------------------------------------ LZ */

#define HASH_BITS 13
#define MIN_MATCH 4
#define MAX_DIST  65535

static uint8_t packed[TEXT_BYTES + TEXT_BYTES / 64 + 64];
static uint8_t unpacked[TEXT_BYTES];
static uint32_t lz_head[1u << HASH_BITS];

static inline uint32_t load32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline uint8_t *put_varint(uint8_t *o, uint32_t v)
{
    while (v >= 0x80) {
        *o++ = (uint8_t)(v | 0x80);
        v >>= 7;
    }
    *o++ = (uint8_t)v;
    return o;
}

static inline const uint8_t *get_varint(const uint8_t *p, uint32_t *v)
{
    uint32_t x = 0;
    int shift = 0;
    uint8_t b;
    do {
        b = *p++;
        x |= (uint32_t)(b & 0x7f) << shift;
        shift += 7;
    } while (b & 0x80);
    *v = x;
    return p;
}

/* Stream of sequences: varint literal count, literals, varint match length
 * (0 = end of stream), 2-byte little-endian distance. */
static size_t lz_compress(const uint8_t *in, size_t n, uint8_t *out)
{
    for (size_t i = 0; i < (1u << HASH_BITS); i++)
        lz_head[i] = 0xffffffffu;
    uint8_t *o = out;
    size_t lit = 0, i = 0;
    while (i + MIN_MATCH <= n) {
        uint32_t v = load32(in + i);
        uint32_t h = (v * 2654435761u) >> (32 - HASH_BITS);
        uint32_t cand = lz_head[h];
        lz_head[h] = (uint32_t)i;
        if (cand != 0xffffffffu && i - cand <= MAX_DIST && load32(in + cand) == v) {
            size_t len = MIN_MATCH;
            while (i + len < n && in[cand + len] == in[i + len])
                len++;
            o = put_varint(o, (uint32_t)(i - lit));
            memcpy(o, in + lit, i - lit);
            o += i - lit;
            o = put_varint(o, (uint32_t)len);
            size_t dist = i - cand;
            *o++ = (uint8_t)dist;
            *o++ = (uint8_t)(dist >> 8);
            /* index a couple of positions inside the match, then skip it */
            size_t end = i + len;
            for (i++; i < end && i + MIN_MATCH <= n; i += 3)
                lz_head[(load32(in + i) * 2654435761u) >> (32 - HASH_BITS)] = (uint32_t)i;
            i = end;
            lit = i;
        } else {
            i++;
        }
    }
    o = put_varint(o, (uint32_t)(n - lit));
    memcpy(o, in + lit, n - lit);
    o += n - lit;
    o = put_varint(o, 0);
    return (size_t)(o - out);
}

static size_t lz_decompress(const uint8_t *p, uint8_t *out, size_t cap)
{
    uint8_t *o = out, *end = out + cap;
    for (;;) {
        uint32_t lit, len;
        p = get_varint(p, &lit);
        if (lit > (size_t)(end - o))
            return 0;
        for (uint32_t k = 0; k < lit; k++)
            *o++ = *p++;
        p = get_varint(p, &len);
        if (len == 0)
            break;
        uint32_t dist = (uint32_t)p[0] | (uint32_t)p[1] << 8;
        p += 2;
        if (dist == 0 || dist > (size_t)(o - out) || len > (size_t)(end - o))
            return 0;
        const uint8_t *from = o - dist;
        for (uint32_t k = 0; k < len; k++)     /* may overlap: byte by byte */
            *o++ = from[k];
    }
    return (size_t)(o - out);
}

/* ---------------------------------------------------------- word count */

#define SLOTS 4096

struct slot {
    uint32_t off, count;
    uint8_t len;
};

static struct slot slots[SLOTS];

static inline uint8_t lower(uint8_t c)
{
    return (c >= 'A' && c <= 'Z') ? (uint8_t)(c + 32) : c;
}

static uint64_t word_count(const uint8_t *t, size_t n)
{
    memset(slots, 0, sizeof slots);
    uint64_t words = 0, distinct = 0;
    size_t i = 0;
    while (i < n) {
        while (i < n && !(lower(t[i]) >= 'a' && lower(t[i]) <= 'z'))
            i++;
        size_t start = i;
        uint32_t h = 2166136261u;                   /* FNV-1a */
        while (i < n && lower(t[i]) >= 'a' && lower(t[i]) <= 'z') {
            h = (h ^ lower(t[i])) * 16777619u;
            i++;
        }
        size_t len = i - start;
        if (len == 0)
            break;
        words++;
        for (uint32_t k = h & (SLOTS - 1);; k = (k + 1) & (SLOTS - 1)) {
            struct slot *sl = &slots[k];
            if (sl->count == 0) {
                sl->off = (uint32_t)start;
                sl->len = (uint8_t)len;
                sl->count = 1;
                distinct++;
                break;
            }
            if (sl->len == len) {
                size_t m = 0;
                while (m < len && lower(t[sl->off + m]) == lower(t[start + m]))
                    m++;
                if (m == len) {
                    sl->count++;
                    break;
                }
            }
        }
    }
    uint64_t h = mix64(words, distinct);
    for (uint32_t k = 0; k < SLOTS; k++)
        if (slots[k].count)
            h = mix64(h, (uint64_t)k << 32 | slots[k].count);
    return h;
}

/* ------------------------------------------------------ bytecode VM */

enum {
    OP_HALT, OP_PUSH, OP_LOAD, OP_STORE, OP_INC, OP_ADD, OP_SUB, OP_MUL,
    OP_AND, OP_SHR, OP_LT, OP_EQ, OP_JZ, OP_JNZ, OP_JMP, OP_DUP, OP_DROP,
    OP_MLOAD, OP_MSTORE,
};

#define VM_MEM 8192

static uint8_t code[512];
static int64_t vm_mem[VM_MEM];
static size_t cpos;

static void emit(uint8_t b) { code[cpos++] = b; }
static void emit_push(int32_t v)
{
    emit(OP_PUSH);
    for (int k = 0; k < 4; k++)
        emit((uint8_t)((uint32_t)v >> (8 * k)));
}
static void emit_reg(uint8_t op, uint8_t r) { emit(op); emit(r); }
static size_t emit_jump(uint8_t op, size_t target)  /* returns patch position */
{
    emit(op);
    emit((uint8_t)target);
    emit((uint8_t)(target >> 8));
    return cpos - 2;
}
static void patch(size_t at, size_t target)
{
    code[at] = (uint8_t)target;
    code[at + 1] = (uint8_t)(target >> 8);
}

static int64_t vm_run(size_t entry)
{
    int64_t stack[64], reg[8] = { 0 };
    int sp = 0;
    size_t pc = entry;
    for (;;) {
        uint8_t op = code[pc++];
        switch (op) {
        case OP_HALT: return sp ? stack[sp - 1] : 0;
        case OP_PUSH:
            stack[sp++] = (int32_t)((uint32_t)code[pc] | (uint32_t)code[pc + 1] << 8 |
                                    (uint32_t)code[pc + 2] << 16 | (uint32_t)code[pc + 3] << 24);
            pc += 4;
            break;
        case OP_LOAD: stack[sp++] = reg[code[pc++] & 7]; break;
        case OP_STORE: reg[code[pc++] & 7] = stack[--sp]; break;
        case OP_INC: reg[code[pc++] & 7]++; break;
        case OP_ADD: sp--; stack[sp - 1] += stack[sp]; break;
        case OP_SUB: sp--; stack[sp - 1] -= stack[sp]; break;
        case OP_MUL: sp--; stack[sp - 1] = (int64_t)((uint64_t)stack[sp - 1] * (uint64_t)stack[sp]); break;
        case OP_AND: sp--; stack[sp - 1] &= stack[sp]; break;
        case OP_SHR: sp--; stack[sp - 1] = (int64_t)((uint64_t)stack[sp - 1] >> (stack[sp] & 63)); break;
        case OP_LT: sp--; stack[sp - 1] = stack[sp - 1] < stack[sp]; break;
        case OP_EQ: sp--; stack[sp - 1] = stack[sp - 1] == stack[sp]; break;
        case OP_JZ:
            pc = stack[--sp] == 0 ? (size_t)(code[pc] | code[pc + 1] << 8) : pc + 2;
            break;
        case OP_JNZ:
            pc = stack[--sp] != 0 ? (size_t)(code[pc] | code[pc + 1] << 8) : pc + 2;
            break;
        case OP_JMP: pc = (size_t)(code[pc] | code[pc + 1] << 8); break;
        case OP_DUP: stack[sp] = stack[sp - 1]; sp++; break;
        case OP_DROP: sp--; break;
        case OP_MLOAD: stack[sp - 1] = vm_mem[(uint64_t)stack[sp - 1] % VM_MEM]; break;
        case OP_MSTORE: sp -= 2; vm_mem[(uint64_t)stack[sp + 1] % VM_MEM] = stack[sp]; break;
        default: return -1;
        }
        if (sp < 0 || sp > 60)
            return -2;
    }
}

#define COLLATZ_LIMIT 1500
#define SIEVE_LIMIT   VM_MEM

/* Sum over i in [1, COLLATZ_LIMIT) of the Collatz step count of i.
 * r0 = i, r1 = n, r3 = total */
static size_t build_collatz(void)
{
    size_t entry = cpos;
    emit_push(1); emit_reg(OP_STORE, 0);
    emit_push(0); emit_reg(OP_STORE, 3);
    size_t outer = cpos;
    emit_reg(OP_LOAD, 0); emit_push(COLLATZ_LIMIT); emit(OP_LT);
    size_t to_end = emit_jump(OP_JZ, 0);
    emit_reg(OP_LOAD, 0); emit_reg(OP_STORE, 1);
    size_t inner = cpos;
    emit_reg(OP_LOAD, 1); emit_push(1); emit(OP_EQ);
    size_t to_next = emit_jump(OP_JNZ, 0);
    emit_reg(OP_LOAD, 1); emit_push(1); emit(OP_AND);
    size_t to_even = emit_jump(OP_JZ, 0);
    emit_reg(OP_LOAD, 1); emit_push(3); emit(OP_MUL); emit_push(1); emit(OP_ADD);
    emit_reg(OP_STORE, 1);
    size_t to_count = emit_jump(OP_JMP, 0);
    patch(to_even, cpos);
    emit_reg(OP_LOAD, 1); emit_push(1); emit(OP_SHR); emit_reg(OP_STORE, 1);
    patch(to_count, cpos);
    emit_reg(OP_INC, 3);
    emit_jump(OP_JMP, inner);
    patch(to_next, cpos);
    emit_reg(OP_INC, 0);
    emit_jump(OP_JMP, outer);
    patch(to_end, cpos);
    emit_reg(OP_LOAD, 3);
    emit(OP_HALT);
    return entry;
}

/* Sieve of Eratosthenes over vm_mem[0..SIEVE_LIMIT): returns
 * (number of primes << 32) + (sum of primes mod 2^32).
 * r0 = i, r1 = j, r2 = count, r3 = sum */
static size_t build_sieve(void)
{
    size_t entry = cpos;
    /* for i in 2..LIMIT: mem[i] = 1 */
    emit_push(2); emit_reg(OP_STORE, 0);
    size_t init = cpos;
    emit_reg(OP_LOAD, 0); emit_push(SIEVE_LIMIT); emit(OP_LT);
    size_t init_done = emit_jump(OP_JZ, 0);
    emit_push(1); emit_reg(OP_LOAD, 0); emit(OP_MSTORE);
    emit_reg(OP_INC, 0);
    emit_jump(OP_JMP, init);
    patch(init_done, cpos);
    /* for i in 2..LIMIT: if mem[i]: count++, sum += i, for j = 2i; j < LIMIT; j += i: mem[j] = 0 */
    emit_push(2); emit_reg(OP_STORE, 0);
    emit_push(0); emit_reg(OP_STORE, 2);
    emit_push(0); emit_reg(OP_STORE, 3);
    size_t loop = cpos;
    emit_reg(OP_LOAD, 0); emit_push(SIEVE_LIMIT); emit(OP_LT);
    size_t done = emit_jump(OP_JZ, 0);
    emit_reg(OP_LOAD, 0); emit(OP_MLOAD);
    size_t next = emit_jump(OP_JZ, 0);
    emit_reg(OP_INC, 2);
    emit_reg(OP_LOAD, 3); emit_reg(OP_LOAD, 0); emit(OP_ADD); emit_reg(OP_STORE, 3);
    emit_reg(OP_LOAD, 0); emit(OP_DUP); emit(OP_ADD); emit_reg(OP_STORE, 1);
    size_t mark = cpos;
    emit_reg(OP_LOAD, 1); emit_push(SIEVE_LIMIT); emit(OP_LT);
    size_t mark_done = emit_jump(OP_JZ, 0);
    emit_push(0); emit_reg(OP_LOAD, 1); emit(OP_MSTORE);
    emit_reg(OP_LOAD, 1); emit_reg(OP_LOAD, 0); emit(OP_ADD); emit_reg(OP_STORE, 1);
    emit_jump(OP_JMP, mark);
    patch(mark_done, cpos);
    patch(next, cpos);
    emit_reg(OP_INC, 0);
    emit_jump(OP_JMP, loop);
    patch(done, cpos);
    /* no shift-left op: multiply by 2^16 twice */
    emit_reg(OP_LOAD, 2); emit_push(65536); emit(OP_MUL); emit_push(65536); emit(OP_MUL);
    emit_reg(OP_LOAD, 3); emit_push(-1); emit_push(32); emit(OP_SHR); emit(OP_AND);
    emit(OP_ADD);
    emit(OP_HALT);
    return entry;
}

/* --------------------------------------------------------------- run */

#define SIEVE_ROUNDS 4

static uint64_t run(void)
{
    make_text();

    size_t plen = lz_compress(text, TEXT_BYTES, packed);
    size_t ulen = lz_decompress(packed, unpacked, sizeof unpacked);
    if (ulen != TEXT_BYTES || memcmp(text, unpacked, TEXT_BYTES) != 0)
        return 1;
    uint64_t h = mix64(0, plen);
    for (size_t i = 0; i < plen; i += 8) {
        uint64_t w = 0;
        for (size_t k = 0; k < 8 && i + k < plen; k++)
            w |= (uint64_t)packed[i + k] << (8 * k);
        h = mix64(h, w);
    }

    h = mix64(h, word_count(text, TEXT_BYTES));

    cpos = 0;
    size_t collatz = build_collatz();
    size_t sieve = build_sieve();
    h = mix64(h, (uint64_t)vm_run(collatz));
    for (int r = 0; r < SIEVE_ROUNDS; r++)
        h = mix64(h, (uint64_t)vm_run(sieve));
    return h;
}

const struct bench_kernel bench_kernel = { "mix", 0x40b9447f63b4cffeULL, run };
