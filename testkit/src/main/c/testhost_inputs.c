/* The input commands: the proxy's collect called in a loop, backpressure, signals, a fault. */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "testhost.h"

int cmd_input(char **argv, int argc)
{
    if (argc < 4) {
        die("usage: input SO OUT_FILE MIN_BYTES TIMEOUT_MS [key=value ...]");
    }
    struct plugin p;
    load(&p, argv[0], argv + 4, argc - 4);
    if (init(&p) != FLB_OK) {
        unload(&p);
        return 1;
    }
    int (*pre_run)(int) = sym(&p, "FLBPluginInputPreRun", 1);
    int (*collect)(void *, void **, size_t *) = sym(&p, "FLBPluginInputCallbackCtx", 1);
    int (*cleanup)(void *, void *) = sym(&p, "FLBPluginInputCleanupCallbackCtx", 1);
    void (*pause_fn)(void) = sym(&p, "FLBPluginInputPause", 1);
    void (*resume_fn)(void) = sym(&p, "FLBPluginInputResume", 1);
    pre_run(0);
    FILE *out = fopen(argv[1], "wb");
    metrics_open(argv[1]);
    long min_bytes = atol(argv[2]);
    long timeout_ms = atol(argv[3]);
    long total = 0, calls = 0, paused_bytes = 0;
    int paused_once = 0;
    for (long waited = 0; total < min_bytes && waited < timeout_ms; waited += 20) {
        void *data = NULL;
        size_t len = 0;
        int rc = collect(remote(&p), &data, &len);
        calls++;
        if (rc != FLB_OK) {
            say("collect rc=%d", rc);
        }
        if (len > 0) {
            fwrite(data, 1, len, out);
            total += (long) len;
        }
        cleanup(remote(&p), data);
        if (len > 0 && !paused_once) {
            /* Backpressure: while paused, nothing may come out. */
            paused_once = 1;
            pause_fn();
            usleep(100 * 1000);
            for (int i = 0; i < 3; i++) {
                void *d = NULL;
                size_t l = 0;
                collect(remote(&p), &d, &l);
                paused_bytes += (long) l;
                if (l > 0) {
                    fwrite(d, 1, l, out);
                    total += (long) l;
                }
                cleanup(remote(&p), d);
            }
            resume_fn();
        }
        usleep(20 * 1000);
    }
    fclose(out);
    metrics_close();
    say("collected bytes=%ld calls=%ld paused_bytes=%ld", total, calls, paused_bytes);
    void (*pre_exit)(int) = sym(&p, "FLBPluginInputPreExit", 0);
    if (pre_exit) {
        pre_exit(0);
    }
    /* Inputs have no ExitCtx in Fluent Bit: Exit() ends every instance. */
    int (*exit_fn)(void) = sym(&p, "FLBPluginExit", 1);
    say("exit rc=%d", exit_fn());
    p.exit_ctx = NULL;
    print_metrics();
    unload(&p);
    say("done");
    return 0;
}

struct busy_input {
    struct plugin *p;
    int (*collect)(void *, void **, size_t *);
    int (*cleanup)(void *, void *);
    volatile int stop;
    long bytes;
};

static void *collect_loop(void *arg)
{
    struct busy_input *b = arg;
    while (!b->stop) {
        void *data = NULL;
        size_t len = 0;
        b->collect(remote(b->p), &data, &len);
        b->bytes += (long) len;
        b->cleanup(remote(b->p), data);
        usleep(10 * 1000);
    }
    return NULL;
}

/* A busy input collected every 10 ms while SIGHUP and SIGCONT arrive, alternately. */
int cmd_signals(char **argv, int argc)
{
    if (argc < 3) {
        die("usage: signals SO SECONDS SIGNALS [key=value ...]");
    }
    struct plugin p;
    load(&p, argv[0], argv + 3, argc - 3);
    if (init(&p) != FLB_OK) {
        die("init failed");
    }
    struct busy_input b = { &p, sym(&p, "FLBPluginInputCallbackCtx", 1), sym(&p, "FLBPluginInputCleanupCallbackCtx", 1),
                            0, 0 };
    ((int (*)(int)) sym(&p, "FLBPluginInputPreRun", 1))(0);
    pthread_t t;
    pthread_create(&t, NULL, collect_loop, &b);
    int seconds = atoi(argv[1]), signals = atoi(argv[2]);
    long gap_us = signals > 0 ? (long) seconds * 1000000 / signals : 0;
    for (int i = 0; i < signals; i++) {
        usleep((useconds_t) gap_us);
        kill(getpid(), i % 2 ? SIGCONT : SIGHUP);
    }
    usleep(500 * 1000);
    /* What a JVM fault would reach now: the host's handler (the JVM's was replaced) or another. */
    say("segv handler after signals: %s", host_handles_segv() ? "host" : "not the host's");
    b.stop = 1;
    pthread_join(t, NULL);
    say("signals sent=%d collected bytes=%ld", signals, b.bytes);
    ((void (*)(int)) sym(&p, "FLBPluginInputPreExit", 1))(0);
    say("exit rc=%d", ((int (*)(void)) sym(&p, "FLBPluginExit", 1))());
    p.exit_ctx = NULL;
    unload(&p);
    say("done");
    return 0;
}

/* A fault in the host's own code while the JVM runs: it must reach the host's handler. */
int cmd_crash(char **argv, int argc)
{
    struct plugin p;
    load(&p, argv[0], argv + 1, argc - 1);
    if (init(&p) != FLB_OK) {
        die("init failed");
    }
    kill(getpid(), SIGHUP);
    usleep(100 * 1000);
    say("crashing");
    *(volatile int *) (intptr_t) 8 = 1;
    say("survived a fault");
    return 1;
}
