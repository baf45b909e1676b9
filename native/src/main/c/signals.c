/*
 * Keeping the JVM's fault handlers in place inside Fluent Bit.
 *
 * The JVM handles SIGSEGV and SIGFPE (and SIGBUS, SIGILL) for its own work: implicit null
 * checks, safepoint and handshake polls. Fluent Bit installs its own SIGSEGV and SIGFPE handlers
 * with signal() at start, before any plugin runs, and again from inside its SIGHUP and SIGCONT
 * handler (flb_signal_handler -> flb_signal_init, src/fluent-bit.c; the same in every release
 * from 2.2 to 5.1). After that the JVM's next fault reaches Fluent Bit's handler, which aborts.
 *
 * Once this shim has created the JVM it keeps the JVM's handlers in one of two ways:
 * - hook (preferred): the fluent-bit executable's GOT entry for signal() is pointed at
 *   keep_jvm_signal, which passes every call through except those for the JVM's fault signals.
 *   Fluent Bit never replaces the JVM's handlers, so there is no window at all. This is what
 *   libjsig does, without LD_PRELOAD.
 * - wrap (when the executable has no signal() import to hook): Fluent Bit's SIGHUP and SIGCONT
 *   handlers are wrapped; the wrapper runs Fluent Bit's handler, then puts the JVM's handlers
 *   back and re-wraps, with both signals blocked. The window left is the few system calls
 *   between Fluent Bit's signal(SIGSEGV) and the restore.
 * FLB4J_SIGNAL_GUARD=wrap forces the second, =off neither (diagnostics only).
 *
 * Faults that are not the JVM's still reach Fluent Bit: the JVM found Fluent Bit's handlers when
 * it started and chains to them (UseSignalChaining, on by default).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <link.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "jvm.h"

static const int jvm_signals[] = { SIGSEGV, SIGFPE, SIGBUS, SIGILL };
#define JVM_SIGNAL_COUNT (sizeof(jvm_signals) / sizeof(jvm_signals[0]))
static struct sigaction jvm_actions[JVM_SIGNAL_COUNT];

static int jvm_signal(int sig)
{
    for (size_t i = 0; i < JVM_SIGNAL_COUNT; i++) {
        if (jvm_signals[i] == sig) {
            return 1;
        }
    }
    return 0;
}

/* ---- hook: signal() of the executable --------------------------------------------------- */

/* What the executable asked for each JVM signal; the JVM chains to what it found at start. */
static __sighandler_t asked[NSIG];

static __sighandler_t keep_jvm_signal(int sig, __sighandler_t handler)
{
    if (sig > 0 && sig < NSIG && jvm_signal(sig)) {
        __sighandler_t previous = asked[sig];
        asked[sig] = handler;
        return previous;
    }
    return signal(sig, handler);
}

#if defined(__x86_64__)
#define JUMP_SLOT R_X86_64_JUMP_SLOT
#define GLOB_DAT R_X86_64_GLOB_DAT
#elif defined(__aarch64__)
#define JUMP_SLOT R_AARCH64_JUMP_SLOT
#define GLOB_DAT R_AARCH64_GLOB_DAT
#endif

struct dyn_info {
    ElfW(Addr) base;
    const ElfW(Sym) *symtab;
    const char *strtab;
    const ElfW(Rela) *rela[2];
    size_t rela_size[2];
    ElfW(Addr) relro_start, relro_end;
};

/* A d_ptr of the dynamic section, relocated whether or not the loader already did it. */
static ElfW(Addr) dyn_ptr(const struct dyn_info *d, ElfW(Addr) p)
{
    return p < d->base ? p + d->base : p;
}

static int patch_slot(const struct dyn_info *d, ElfW(Addr) slot)
{
    long page = sysconf(_SC_PAGESIZE);
    void *start = (void *) (slot & ~(ElfW(Addr)) (page - 1));
    if (mprotect(start, (size_t) page, PROT_READ | PROT_WRITE) != 0) {
        return -1;
    }
    __atomic_store_n((void **) slot, (void *) keep_jvm_signal, __ATOMIC_SEQ_CST);
    if (slot >= d->relro_start && slot < d->relro_end) {
        mprotect(start, (size_t) page, PROT_READ);
    }
    return 0;
}

/* Points the main executable's relocations of "signal" at keep_jvm_signal; counts them. */
static int hook_main(struct dl_phdr_info *info, size_t size, void *patched)
{
    (void) size;
    struct dyn_info d = { .base = info->dlpi_addr };
    const ElfW(Dyn) *dyn = NULL;
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        if (ph->p_type == PT_DYNAMIC) {
            dyn = (const ElfW(Dyn) *) (info->dlpi_addr + ph->p_vaddr);
        }
        else if (ph->p_type == PT_GNU_RELRO) {
            d.relro_start = info->dlpi_addr + ph->p_vaddr;
            d.relro_end = d.relro_start + ph->p_memsz;
        }
    }
    for (; dyn && dyn->d_tag != DT_NULL; dyn++) {
        switch (dyn->d_tag) {
        case DT_SYMTAB: d.symtab = (const ElfW(Sym) *) dyn_ptr(&d, dyn->d_un.d_ptr); break;
        case DT_STRTAB: d.strtab = (const char *) dyn_ptr(&d, dyn->d_un.d_ptr); break;
        case DT_JMPREL: d.rela[0] = (const ElfW(Rela) *) dyn_ptr(&d, dyn->d_un.d_ptr); break;
        case DT_PLTRELSZ: d.rela_size[0] = dyn->d_un.d_val; break;
        case DT_RELA: d.rela[1] = (const ElfW(Rela) *) dyn_ptr(&d, dyn->d_un.d_ptr); break;
        case DT_RELASZ: d.rela_size[1] = dyn->d_un.d_val; break;
        default: break;
        }
    }
    for (int t = 0; d.symtab && d.strtab && t < 2; t++) {
        for (size_t i = 0; d.rela[t] && i < d.rela_size[t] / sizeof(ElfW(Rela)); i++) {
            const ElfW(Rela) *r = &d.rela[t][i];
            unsigned long type = ELF64_R_TYPE(r->r_info);
            if ((type == JUMP_SLOT || type == GLOB_DAT)
                && strcmp(d.strtab + d.symtab[ELF64_R_SYM(r->r_info)].st_name, "signal") == 0
                && patch_slot(&d, info->dlpi_addr + r->r_offset) == 0) {
                (*(int *) patched)++;
            }
        }
    }
    return 1;   /* the main executable comes first: stop there */
}

static int hook_signal(void)
{
#if defined(JUMP_SLOT)
    int patched = 0;
    dl_iterate_phdr(hook_main, &patched);
    return patched > 0 ? 0 : -1;
#else
    return -1;
#endif
}

/* ---- wrap: Fluent Bit's SIGHUP and SIGCONT handlers ------------------------------------ */

/* Fluent Bit's handlers, which the wrapper calls: [0] SIGHUP, [1] SIGCONT. */
static struct sigaction wrapped[2];

static void wrapper(int sig, siginfo_t *info, void *context);

static void wrap(int sig, struct sigaction *inner)
{
    struct sigaction now;
    if (sigaction(sig, NULL, &now) != 0 || ((now.sa_flags & SA_SIGINFO) && now.sa_sigaction == wrapper)) {
        return;
    }
    *inner = now;
    struct sigaction mine;
    memset(&mine, 0, sizeof(mine));
    mine.sa_sigaction = wrapper;
    mine.sa_flags = SA_SIGINFO | SA_RESTART | (now.sa_flags & SA_ONSTACK);
    sigemptyset(&mine.sa_mask);
    sigaddset(&mine.sa_mask, SIGHUP);
    sigaddset(&mine.sa_mask, SIGCONT);
    sigaction(sig, &mine, NULL);
}

static void wrapper(int sig, siginfo_t *info, void *context)
{
    int saved = errno;
    const struct sigaction *inner = &wrapped[sig == SIGHUP ? 0 : 1];
    if (inner->sa_flags & SA_SIGINFO) {
        inner->sa_sigaction(sig, info, context);
    }
    else if (inner->sa_handler == SIG_DFL && sig == SIGHUP) {
        signal(SIGHUP, SIG_DFL);   /* what SIGHUP would have done: end the process */
        raise(SIGHUP);
    }
    else if (inner->sa_handler != SIG_DFL && inner->sa_handler != SIG_IGN) {
        inner->sa_handler(sig);
    }
    for (size_t i = 0; i < JVM_SIGNAL_COUNT; i++) {
        sigaction(jvm_signals[i], &jvm_actions[i], NULL);
    }
    wrap(SIGHUP, &wrapped[0]);
    wrap(SIGCONT, &wrapped[1]);
    errno = saved;
}

void signals_guard_jvm(void)
{
    const char *mode = getenv("FLB4J_SIGNAL_GUARD");
    if (mode && strcmp(mode, "off") == 0) {
        return;
    }
    for (size_t i = 0; i < JVM_SIGNAL_COUNT; i++) {
        sigaction(jvm_signals[i], NULL, &jvm_actions[i]);
    }
    if ((!mode || strcmp(mode, "wrap") != 0) && hook_signal() == 0) {
        log_info("keeping the JVM's fault handlers: the executable's signal() is hooked");
        return;
    }
    wrap(SIGHUP, &wrapped[0]);
    wrap(SIGCONT, &wrapped[1]);
    log_info("keeping the JVM's fault handlers: Fluent Bit's SIGHUP and SIGCONT handlers are wrapped");
}
