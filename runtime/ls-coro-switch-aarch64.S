/* SPDX-License-Identifier: MIT
 *
 * Coroutine context switch for AArch64 (AAPCS64).
 *
 *   void ls_coro_switch (void **from_sp, void *to_sp);
 *
 * Saves x19-x30 and d8-d15 (the callee-saved registers) on the current
 * stack, stores sp in *from_sp, loads to_sp and restores what was saved
 * there. A new coroutine's first frame returns (x30) into
 * ls_coro_trampoline, which calls entry (x19) with arg (x20).
 */
        .text
        .globl  ls_coro_switch
        .hidden ls_coro_switch
        .type   ls_coro_switch, %function
        .p2align 2
ls_coro_switch:
        sub     sp, sp, #160
        stp     x19, x20, [sp, #0]
        stp     x21, x22, [sp, #16]
        stp     x23, x24, [sp, #32]
        stp     x25, x26, [sp, #48]
        stp     x27, x28, [sp, #64]
        stp     x29, x30, [sp, #80]
        stp     d8, d9, [sp, #96]
        stp     d10, d11, [sp, #112]
        stp     d12, d13, [sp, #128]
        stp     d14, d15, [sp, #144]
        mov     x9, sp
        str     x9, [x0]
        mov     sp, x1
        ldp     x19, x20, [sp, #0]
        ldp     x21, x22, [sp, #16]
        ldp     x23, x24, [sp, #32]
        ldp     x25, x26, [sp, #48]
        ldp     x27, x28, [sp, #64]
        ldp     x29, x30, [sp, #80]
        ldp     d8, d9, [sp, #96]
        ldp     d10, d11, [sp, #112]
        ldp     d12, d13, [sp, #128]
        ldp     d14, d15, [sp, #144]
        add     sp, sp, #160
        ret
        .size   ls_coro_switch, .-ls_coro_switch

        .globl  ls_coro_trampoline
        .hidden ls_coro_trampoline
        .type   ls_coro_trampoline, %function
        .p2align 2
ls_coro_trampoline:
        mov     x0, x20
        blr     x19
        brk     #0
        .size   ls_coro_trampoline, .-ls_coro_trampoline

        .section .note.GNU-stack,"",%progbits
