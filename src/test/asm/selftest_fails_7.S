/*
 * selftest_fails_7.S - a program that MUST fail, with test number 7.
 *
 * IsaProgramsTest runs every `*_fails_<n>.elf` expecting exit status 1 and the runner's
 * "test <n> failed" in the output: proof that a wrong result is reported, i.e. that the
 * harness, the framework's CHECK/fail path and the HTIF exit code can fail at all.
 */
#include "test.h"

TEST_BEGIN
        TEST_CASE(1, a0, 3, li a0, 1; addi a0, a0, 2)
        TEST_CASE(2, a0, -1, li a0, 0; addi a0, a0, -1)
        /* deliberately wrong expectation: 2 + 2 is not 5 */
        TEST_CASE(7, a0, 5, li a0, 2; addi a0, a0, 2)
        /* never reached */
        TEST_CASE(8, a0, 0, li a0, 0)
TEST_END
