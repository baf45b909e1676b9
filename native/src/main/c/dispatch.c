/*
 * Worker threads and the hand-off of every call: the caller (a Fluent Bit thread, maybe on a
 * 64 KiB coroutine stack) queues the call and waits; a worker attached to the engine (the JVM
 * or the isolate) runs it. The same path serves both engines.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shim.h"

#define WORKERS_DEFAULT 4
#define WORKERS_MAX 64

static pthread_mutex_t q_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t q_ready = PTHREAD_COND_INITIALIZER;
static struct call *q_head, *q_tail;
static int g_workers_started;

/* Flushes reach the engine in the order they were dispatched (tickets taken under q_lock), so a
 * plugin that runs one flush at a time runs them in the order Fluent Bit started them. */
static pthread_mutex_t turn_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t turn_changed = PTHREAD_COND_INITIALIZER;
static unsigned long flush_tickets, flush_serving;

long failure_result(enum op op)
{
    switch (op) {
    case OP_COLLECT:
        return FLB_OK;   /* "nothing this time": the batch stays Java's and goes out again */
    case OP_INIT:
        return 0;        /* no instance handle */
    case OP_FLUSH:
        return FLB_RETRY;   /* the plugin never saw the chunk: Fluent Bit keeps it */
    default:
        return FLB_ERROR;
    }
}

static void take_turn(struct call *c)
{
    pthread_mutex_lock(&turn_lock);
    while (flush_serving != c->ticket) {
        pthread_cond_wait(&turn_changed, &turn_lock);
    }
    pthread_mutex_unlock(&turn_lock);
}

static void end_turn(void)
{
    pthread_mutex_lock(&turn_lock);
    flush_serving++;
    pthread_cond_broadcast(&turn_changed);
    pthread_mutex_unlock(&turn_lock);
}

static void run(struct call *c)
{
    c->result = failure_result(c->op);
    if (c->op == OP_FLUSH) {
        take_turn(c);
    }
    if (c->op != OP_INIT || engine_start() == 0) {
        engine_call(c);
    }
    if (c->op == OP_FLUSH) {
        end_turn();
    }
}

static void *worker(void *unused)
{
    (void) unused;
    /* A name of its own: a new thread takes its creator's, which may be one of Fluent Bit's
     * (flb-pipeline, or flb-out-<plugin>.0-w0 with Workers, which workers.c looks for). */
    char name[16];
    snprintf(name, sizeof(name), "flb4j-w-%s", FLB4J_PLUGIN_NAME);
    pthread_setname_np(pthread_self(), name);
    for (;;) {
        pthread_mutex_lock(&q_lock);
        while (!q_head) {
            pthread_cond_wait(&q_ready, &q_lock);
        }
        struct call *c = q_head;
        q_head = c->next;
        if (!q_head) {
            q_tail = NULL;
        }
        pthread_mutex_unlock(&q_lock);
        run(c);
        c->finish(c);   /* the last touch: c may be gone after it */
    }
    return NULL;
}

static int workers_from_env(void)
{
    const char *s = getenv("FLB4J_THREADS");
    int n = s ? atoi(s) : WORKERS_DEFAULT;
    return n < 1 ? 1 : n > WORKERS_MAX ? WORKERS_MAX : n;
}

static void start_workers(void)
{
    pthread_mutex_lock(&q_lock);
    if (!g_workers_started) {
        int n = workers_from_env();
        pthread_attr_t attr;
        pthread_attr_init(&attr);
        pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
        pthread_attr_setstacksize(&attr, 8 * 1024 * 1024);
        for (int i = 0; i < n; i++) {
            pthread_t t;
            if (pthread_create(&t, &attr, worker, NULL) == 0) {
                g_workers_started++;
            }
        }
        pthread_attr_destroy(&attr);
    }
    pthread_mutex_unlock(&q_lock);
}

static void post(struct call *c)
{
    sem_post((sem_t *) c->done);
}

int dispatch_async(struct call *c)
{
    start_workers();
    if (!g_workers_started) {
        log_error("could not start a thread");
        return -1;
    }
    c->next = NULL;
    pthread_mutex_lock(&q_lock);
    if (c->op == OP_FLUSH) {
        c->ticket = flush_tickets++;
    }
    if (q_tail) {
        q_tail->next = c;
    }
    else {
        q_head = c;
    }
    q_tail = c;
    pthread_cond_signal(&q_ready);
    pthread_mutex_unlock(&q_lock);
    return 0;
}

/* Hands the call to a worker and waits: the only thing that runs on Fluent Bit's stack. */
long dispatch(struct call *c)
{
    sem_t done;
    sem_init(&done, 0, 0);
    c->done = &done;
    c->finish = post;
    if (dispatch_async(c) != 0) {
        sem_destroy(&done);
        return failure_result(c->op);
    }
    while (sem_wait(&done) != 0 && errno == EINTR) {
    }
    sem_destroy(&done);
    return c->result;
}

long call_simple(enum op op, long handle, long arg)
{
    struct call c;
    memset(&c, 0, sizeof(c));
    c.op = op;
    c.handle = handle;
    c.arg = arg;
    return dispatch(&c);
}
