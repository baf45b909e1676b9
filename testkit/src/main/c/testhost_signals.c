/*
 * Signals, handled as Fluent Bit handles them (src/fluent-bit.c): handlers installed with
 * signal() at start, and again from the SIGHUP and SIGCONT handler; SIGSEGV prints the signal
 * and aborts.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "testhost.h"

static void host_signal_handler(int sig)
{
    const char *name = sig == SIGHUP ? "SIGHUP" : sig == SIGCONT ? "SIGCONT" : sig == SIGSEGV ? "SIGSEGV" : "SIGFPE";
    char line[64];
    int n = snprintf(line, sizeof(line), "caught signal (%s)\n", name);
    if (write(STDOUT_FILENO, line, (size_t) n) < 0) {
        _exit(3);
    }
    host_signal_init();
    if (sig == SIGSEGV || sig == SIGFPE) {
        abort();
    }
}

void host_signal_init(void)
{
    signal(SIGHUP, host_signal_handler);
    signal(SIGCONT, host_signal_handler);
    signal(SIGSEGV, host_signal_handler);
    signal(SIGFPE, host_signal_handler);
}

int host_handles_segv(void)
{
    struct sigaction segv;
    sigaction(SIGSEGV, NULL, &segv);
    return segv.sa_handler == host_signal_handler;
}
