/* SPDX-License-Identifier: MIT
 *
 * Coroutine context switch for x86-64 (System V ABI).
 *
 *   void ls_coro_switch (void **from_sp, void *to_sp);
 *
 * Pushes the callee-saved registers on the current stack, stores the stack
 * pointer in *from_sp, loads to_sp and pops the registers saved there.
 * MXCSR and the x87 control word are not switched: nothing in Loopscope
 * changes floating-point modes, and saving them would double the cost. The
 * first switch into a new coroutine "returns" into ls_coro_trampoline, which
 * calls entry (r12) with arg (r13); entry never returns.
 */
        .text
        .globl  ls_coro_switch
        .hidden ls_coro_switch
        .type   ls_coro_switch, @function
ls_coro_switch:
        .cfi_startproc
        pushq   %rbp
        pushq   %rbx
        pushq   %r12
        pushq   %r13
        pushq   %r14
        pushq   %r15
        movq    %rsp, (%rdi)
        movq    %rsi, %rsp
        popq    %r15
        popq    %r14
        popq    %r13
        popq    %r12
        popq    %rbx
        popq    %rbp
        ret
        .cfi_endproc
        .size   ls_coro_switch, .-ls_coro_switch

        .globl  ls_coro_trampoline
        .hidden ls_coro_trampoline
        .type   ls_coro_trampoline, @function
ls_coro_trampoline:
        .cfi_startproc
        .cfi_undefined rip
        movq    %r13, %rdi
        callq   *%r12
        ud2
        .cfi_endproc
        .size   ls_coro_trampoline, .-ls_coro_trampoline

        .section .note.GNU-stack,"",@progbits
