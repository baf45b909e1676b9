/*
 * The output worker pool Fluent Bit 2.2 to 5.1 start twice for a proxy output with Workers
 * (flb_proxy_output_cb_init, then flb_output_init_all), as the forgotten first pool behaves:
 * TESTHOST_FORGOTTEN_WORKERS=n starts n threads at an output's init, each named as
 * output_thread names it (flb-out-<instance>-w<i>), with its own event loop that hands custom
 * events to their handler, and a thread instance laid out as 5.1.1's struct
 * flb_out_thread_instance (a struct mk_event, the loop, ..., the instance at word 24), which
 * flb_output_thread_instance_get returns on that thread. Every 20 ms each reads its instance, as
 * the real thread's 1.5-s timer does: once the host has freed the instance (after the exit
 * callback, as flb_output_exit does), that read is the crash Fluent Bit has, and the host says so
 * and exits with 3. TESTHOST_RT_SIGNALS_TAKEN=1 gives every real-time signal a handler of the
 * host's, so that a plugin finds none free.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "testhost.h"

/* 5.1.1's struct flb_out_thread_instance, up to the instance. */
struct thread_instance {
    struct mk_event event;
    void *evl;
    void *evl_bktq;
    int ch_parent_events[2];
    int ch_thread_events[2];
    int notification_channels_initialized;
    int notification_channels[2];
    struct mk_event notification_event;
    struct instance *ins;
    void *config;
};
_Static_assert(offsetof(struct thread_instance, ins) == 24 * sizeof(void *), "thread_instance.ins");

static __thread struct thread_instance *current;

void *flb_output_thread_instance_get(void)
{
    return current;
}

struct forgotten {
    struct thread_instance th;
    int index;
    pthread_t thread;
};

static volatile int running;
static pthread_key_t ending;

static void *forgotten_run(void *arg)
{
    struct forgotten *f = arg;
    char name[96];
    snprintf(name, sizeof(name), "flb-out-%s-w%d", f->th.ins->name, f->index);
    name[15] = '\0';   /* a thread's name holds 15 characters */
    pthread_setname_np(pthread_self(), name);
    f->th.evl = engine_loop_new(1);
    current = &f->th;
    pthread_setspecific(ending, (void *) 1);   /* on_end runs when pthread_exit ends the thread */
    __atomic_add_fetch(&running, 1, __ATOMIC_SEQ_CST);
    for (;;) {
        engine_loop_run_once(f->th.evl, 20);
        if (f->th.ins->alive != INSTANCE_ALIVE) {   /* the 1.5-s timer: flb_upstream_conn_timeouts(ins) */
            say("fatal a forgotten output worker read its freed instance");
            exit(3);
        }
    }
    return NULL;
}

/* At an output's init: the pool Fluent Bit forgets, TESTHOST_FORGOTTEN_WORKERS threads of it. */
void forgotten_workers_start(struct instance *ins)
{
    int n = env_int("TESTHOST_FORGOTTEN_WORKERS", 0);
    for (int i = 0; i < n && i < 8; i++) {
        struct forgotten *f = calloc(1, sizeof(*f));   /* kept for ever, as Fluent Bit keeps the pool */
        f->th.ins = ins;
        f->index = i;
        pthread_create(&f->thread, NULL, forgotten_run, f);
        pthread_detach(f->thread);
    }
    while (__atomic_load_n(&running, __ATOMIC_SEQ_CST) < n) {
        usleep(1000);
    }
}

/* After an output's exit callback: the instance is freed; each forgotten worker still running would read it. */
void forgotten_workers_free(struct instance *ins)
{
    ins->alive = 0;
    if (env_int("TESTHOST_FORGOTTEN_WORKERS", 0) > 0) {
        usleep(100 * 1000);
        say("forgotten workers running=%d", __atomic_load_n(&running, __ATOMIC_SEQ_CST));
    }
}

/* A forgotten worker's thread ends (pthread_exit runs the key destructors): counted down. */
static void on_end(void *unused)
{
    (void) unused;
    __atomic_sub_fetch(&running, 1, __ATOMIC_SEQ_CST);
}

static void nothing(int sig)
{
    (void) sig;
}

__attribute__((constructor)) static void forgotten_init(void)
{
    pthread_key_create(&ending, on_end);
    if (getenv("TESTHOST_RT_SIGNALS_TAKEN")) {
        for (int sig = SIGRTMIN; sig <= SIGRTMAX; sig++) {
            signal(sig, nothing);
        }
    }
}
