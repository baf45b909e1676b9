/*
 * Keeping the JVM's fault handlers in place inside Fluent Bit.
 *
 * The JVM handles SIGSEGV and SIGFPE (and SIGBUS, SIGILL) for its own work: implicit null
 * checks, safepoint and handshake polls. Fluent Bit installs its own handlers for SIGSEGV and
 * SIGFPE with signal() at start, before any plugin runs, and again from inside its SIGHUP and
 * SIGCONT handler (flb_signal_handler -> flb_signal_init, src/fluent-bit.c; the same in every
 * release from 2.2 to 5.1). After that, the JVM's next fault reaches Fluent Bit's handler,
 * which aborts.
 *
 * So once this shim has created the JVM, it wraps Fluent Bit's SIGHUP and SIGCONT handlers:
 * the wrapper runs Fluent Bit's handler, then puts the JVM's handlers back and wraps the
 * SIGHUP/SIGCONT handlers Fluent Bit just reinstalled, all before returning. Both signals are
 * blocked while the wrapper runs. The one window left is between Fluent Bit's signal(SIGSEGV)
 * and the restore: a few system calls, during which a JVM fault on another thread would still
 * reach Fluent Bit's handler.
 *
 * Faults that are not the JVM's still reach Fluent Bit: the JVM found Fluent Bit's SIGSEGV and
 * SIGFPE handlers when it started and chains to them (UseSignalChaining, on by default).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "shim.h"

static const int jvm_signals[] = { SIGSEGV, SIGFPE, SIGBUS, SIGILL };
#define JVM_SIGNAL_COUNT (sizeof(jvm_signals) / sizeof(jvm_signals[0]))
static struct sigaction jvm_actions[JVM_SIGNAL_COUNT];

/* Fluent Bit's handlers, which the wrapper calls: [0] SIGHUP, [1] SIGCONT. */
static struct sigaction wrapped[2];

static void wrapper(int sig, siginfo_t *info, void *context);

static int is_wrapper(const struct sigaction *a)
{
    return (a->sa_flags & SA_SIGINFO) && a->sa_sigaction == wrapper;
}

static void restore_jvm_handlers(void)
{
    for (size_t i = 0; i < JVM_SIGNAL_COUNT; i++) {
        struct sigaction now;
        if (sigaction(jvm_signals[i], NULL, &now) == 0 && now.sa_sigaction != jvm_actions[i].sa_sigaction) {
            sigaction(jvm_signals[i], &jvm_actions[i], NULL);
        }
    }
}

/* Wraps whatever handler is installed for sig now, unless it is the wrapper already. */
static void wrap(int sig, struct sigaction *inner)
{
    struct sigaction now;
    if (sigaction(sig, NULL, &now) != 0 || is_wrapper(&now)) {
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

static void call(const struct sigaction *inner, int sig, siginfo_t *info, void *context)
{
    if (inner->sa_flags & SA_SIGINFO) {
        inner->sa_sigaction(sig, info, context);
    }
    else if (inner->sa_handler == SIG_DFL && sig == SIGHUP) {
        /* What SIGHUP would have done without the wrapper: end the process. */
        signal(SIGHUP, SIG_DFL);
        raise(SIGHUP);
    }
    else if (inner->sa_handler != SIG_DFL && inner->sa_handler != SIG_IGN) {
        inner->sa_handler(sig);
    }
}

static void wrapper(int sig, siginfo_t *info, void *context)
{
    int saved = errno;
    call(&wrapped[sig == SIGHUP ? 0 : 1], sig, info, context);
    restore_jvm_handlers();
    wrap(SIGHUP, &wrapped[0]);
    wrap(SIGCONT, &wrapped[1]);
    errno = saved;
}

void signals_guard_jvm(void)
{
    if (getenv("FLB4J_NO_SIGNAL_GUARD")) {
        return;
    }
    for (size_t i = 0; i < JVM_SIGNAL_COUNT; i++) {
        sigaction(jvm_signals[i], NULL, &jvm_actions[i]);
    }
    wrap(SIGHUP, &wrapped[0]);
    wrap(SIGCONT, &wrapped[1]);
}
