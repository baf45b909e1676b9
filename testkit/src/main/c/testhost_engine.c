/*
 * Fluent Bit's engine as an output flush sees it (OUTPUT-PATH.md), exported from this
 * executable as the fluent-bit executable exports it: libco's co_active and co_switch,
 * flb_coro_get and flb_coro_set, and flb_engine_evl_get, mk_event_add and mk_event_del over an
 * epoll loop per thread that hands MK_EVENT_CUSTOM events to their handler.
 *
 * Each flush thread is an engine (or output worker) thread: it starts flushes as coroutines on
 * 64 KiB stacks (flb_coro_resume), keeps up to TESTHOST_INFLIGHT of them in flight, runs its
 * loop, and reaps each when it returns (FLB_OUTPUT_RETURN switches back to whoever resumed it).
 * A 10-ms timer on the same loop measures the longest the loop went unserved: a flush that
 * blocks its thread shows there.
 *
 * TESTHOST_CORO: plain (struct flb_coro without its first field), valgrind (with it: what a
 * build machine with valgrind.h gives), unknown (a layout the shim must not guess at) or none
 * (flb_coro_get answers NULL). The last two are unknown builds: the flush must wait instead.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/timerfd.h>
#include <ucontext.h>
#include <unistd.h>

#include "testhost.h"

/* ---- libco over ucontext: a cothread is a context; a thread's own is made on first use ---- */

struct cothread {
    ucontext_t ctx;
};
static __thread struct cothread thread_own;
static __thread struct cothread *active;

void *co_active(void)
{
    if (!active) {
        active = &thread_own;
    }
    return active;
}

void co_switch(void *to)
{
    struct cothread *from = co_active();
    active = to;
    swapcontext(&from->ctx, &((struct cothread *) to)->ctx);
}

/* ---- struct flb_coro, in the layout of the emulated build -------------------------------- */

enum layout { PLAIN, VALGRIND, UNKNOWN, NONE };
static enum layout layout;

struct coro_plain {
    void *caller, *callee, *data;
};
struct coro_valgrind {
    unsigned int valgrind_stack_id;
    void *caller, *callee, *data;
};
struct coro_unknown {
    void *data, *spare, *spare2, *caller, *callee;
};

static __thread void *current_coro;

void *flb_coro_get(void)
{
    return layout == NONE ? NULL : current_coro;
}

void flb_coro_set(void *coro)
{
    current_coro = coro;
}

static size_t coro_size(void)
{
    return layout == VALGRIND ? sizeof(struct coro_valgrind)
         : layout == UNKNOWN ? sizeof(struct coro_unknown) : sizeof(struct coro_plain);
}

static void **caller_of(void *coro)
{
    return layout == VALGRIND ? &((struct coro_valgrind *) coro)->caller
         : layout == UNKNOWN ? &((struct coro_unknown *) coro)->caller : &((struct coro_plain *) coro)->caller;
}

static void **callee_of(void *coro)
{
    return layout == VALGRIND ? &((struct coro_valgrind *) coro)->callee
         : layout == UNKNOWN ? &((struct coro_unknown *) coro)->callee : &((struct coro_plain *) coro)->callee;
}

/* ---- the event loop of a thread ---------------------------------------------------------- */

struct loop {
    int epfd;
    int shared;   /* other threads may add events to it (a forgotten output worker's: testhost_workers.c) */
};
static __thread struct loop *thread_loop;

void *flb_engine_evl_get(void)
{
    return thread_loop;
}

static struct loop *own_loop(void *evl, const char *what)
{
    if (!evl || (evl != thread_loop && !((struct loop *) evl)->shared)) {
        say("fatal %s on a loop that is not this thread's", what);
        exit(2);
    }
    return evl;
}

static long custom_adds;   /* custom events added to a loop (a flush's wake-up registrations) */

int mk_event_add(void *evl, int fd, int type, uint32_t mask, void *data)
{
    struct loop *l = own_loop(evl, "mk_event_add");
    struct mk_event *e = data;
    struct epoll_event ep = { .events = EPOLLIN | EPOLLERR | EPOLLHUP, .data.ptr = e };
    if (epoll_ctl(l->epfd, e->mask == 0 ? EPOLL_CTL_ADD : EPOLL_CTL_MOD, fd, &ep) != 0) {
        return -1;
    }
    if (type == MK_EVENT_CUSTOM && e->mask == 0) {
        __atomic_add_fetch(&custom_adds, 1, __ATOMIC_RELAXED);
    }
    e->fd = fd;
    e->type = type;
    e->mask = mask;
    e->status = MK_EVENT_REGISTERED;
    return 0;
}

int mk_event_del(void *evl, void *data)
{
    struct loop *l = own_loop(evl, "mk_event_del");
    struct mk_event *e = data;
    if (!(e->status & MK_EVENT_REGISTERED)) {
        return -1;
    }
    epoll_ctl(l->epfd, EPOLL_CTL_DEL, e->fd, NULL);
    e->mask = 0;
    e->status = 1;
    return 0;
}

void *engine_loop_new(int shared)
{
    struct loop *l = calloc(1, sizeof(*l));
    l->epfd = epoll_create1(EPOLL_CLOEXEC);
    l->shared = shared;
    thread_loop = l;
    return l;
}

void engine_loop_run_once(void *evl, int timeout_ms)
{
    struct epoll_event ready[16];
    int n = epoll_wait(((struct loop *) evl)->epfd, ready, 16, timeout_ms);
    for (int i = 0; i < n; i++) {
        struct mk_event *e = ready[i].data.ptr;
        if (e->type == MK_EVENT_CUSTOM && e->handler) {
            e->handler(e);
        }
    }
}

/* ---- flushes started as coroutines ------------------------------------------------------- */

struct flush_thread {
    struct plugin *p;
    const char *chunk;
    size_t size;
    int flushes, inflight, gap_ms;
    int codes[3];
    int started, ended, running, most_running;
    long longest_gap_ms;
};

struct task {
    struct flush_thread *ft;
    void *coro;
    struct cothread co;
    char *stack;
    int rc, ended, reaped;
};

static __thread struct task *starting;

static void task_body(void)
{
    struct task *t = starting;
    char tag[] = "test.tag";
    t->rc = t->ft->p->flush_ctx(remote(t->ft->p), t->ft->chunk, t->ft->size, tag);
    t->ended = 1;
    co_switch(*caller_of(t->coro));   /* FLB_OUTPUT_RETURN */
}

/* flb_output_flush_create, then flb_coro_resume. */
static void start_task(struct task *t)
{
    t->coro = guarded(coro_size(), 0);
    t->stack = malloc(COROUTINE_STACK);
    getcontext(&t->co.ctx);
    t->co.ctx.uc_stack.ss_sp = t->stack;
    t->co.ctx.uc_stack.ss_size = COROUTINE_STACK;
    t->co.ctx.uc_link = NULL;
    makecontext(&t->co.ctx, task_body, 0);
    *callee_of(t->coro) = &t->co;
    starting = t;
    flb_coro_set(t->coro);
    *caller_of(t->coro) = co_active();
    co_switch(&t->co);
}

static void reap(struct flush_thread *ft, struct task *tasks)
{
    for (int i = 0; i < ft->started; i++) {
        struct task *t = &tasks[i];
        if (t->ended && !t->reaped) {
            t->reaped = 1;
            ft->codes[t->rc >= 0 && t->rc <= 2 ? t->rc : 0]++;
            unguard(t->coro, coro_size());
            free(t->stack);
            ft->running--;
            ft->ended++;
        }
    }
}

static void *flush_thread_run(void *arg)
{
    struct flush_thread *ft = arg;
    struct loop l = { epoll_create1(EPOLL_CLOEXEC), 0 };
    thread_loop = &l;
    struct mk_event tick = { 0 };
    tick.fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
    struct itimerspec every = { { 0, 10 * 1000000 }, { 0, 10 * 1000000 } };
    timerfd_settime(tick.fd, 0, &every, NULL);
    struct epoll_event ep = { .events = EPOLLIN, .data.ptr = &tick };
    epoll_ctl(l.epfd, EPOLL_CTL_ADD, tick.fd, &ep);

    struct task *tasks = calloc((size_t) ft->flushes, sizeof(*tasks));
    long last_tick = now_ms(), last_start = 0;
    while (ft->ended < ft->flushes) {
        while (ft->started < ft->flushes && ft->running < ft->inflight && now_ms() - last_start >= ft->gap_ms) {
            struct task *t = &tasks[ft->started++];
            t->ft = ft;
            ft->running++;
            ft->most_running = ft->running > ft->most_running ? ft->running : ft->most_running;
            last_start = now_ms();
            start_task(t);
        }
        reap(ft, tasks);
        struct epoll_event ready[16];
        int n = epoll_wait(l.epfd, ready, 16, 5);
        for (int i = 0; i < n; i++) {
            struct mk_event *e = ready[i].data.ptr;
            if (e == &tick) {
                uint64_t expirations;
                if (read(tick.fd, &expirations, sizeof(expirations)) > 0) {
                    long now = now_ms();
                    ft->longest_gap_ms = now - last_tick > ft->longest_gap_ms ? now - last_tick : ft->longest_gap_ms;
                    last_tick = now;
                }
            }
            else if (e->type == MK_EVENT_CUSTOM && e->handler) {
                e->handler(e);
            }
            else {
                say("fatal an event of type %d with no handler", e->type);
                exit(2);
            }
        }
        reap(ft, tasks);
    }
    free(tasks);
    close(tick.fd);
    close(l.epfd);
    thread_loop = NULL;
    return NULL;
}

int env_int(const char *name, int fallback)
{
    const char *v = getenv(name);
    return v && v[0] ? atoi(v) : fallback;
}

void flush_many(struct plugin *p, const char *chunk, size_t size, int flushes, int threads)
{
    if (!p->flush_ctx) {
        die("no FLBPluginFlushCtx");
    }
    const char *l = getenv("TESTHOST_CORO");
    layout = !l ? PLAIN : strcmp(l, "valgrind") == 0 ? VALGRIND : strcmp(l, "unknown") == 0 ? UNKNOWN
           : strcmp(l, "none") == 0 ? NONE : PLAIN;
    struct flush_thread ft[64];
    pthread_t t[64];
    threads = threads > 64 ? 64 : threads;
    for (int i = 0; i < threads; i++) {
        memset(&ft[i], 0, sizeof(ft[i]));
        ft[i] = (struct flush_thread) { p, chunk, size, flushes, env_int("TESTHOST_INFLIGHT", 4),
                                        env_int("TESTHOST_FLUSH_GAP_MS", 0), { 0 }, 0, 0, 0, 0, 0 };
        pthread_create(&t[i], NULL, flush_thread_run, &ft[i]);
    }
    int codes[3] = { 0 }, most = 0;
    long gap = 0;
    for (int i = 0; i < threads; i++) {
        pthread_join(t[i], NULL);
        for (int k = 0; k < 3; k++) {
            codes[k] += ft[i].codes[k];
        }
        most = ft[i].most_running > most ? ft[i].most_running : most;
        gap = ft[i].longest_gap_ms > gap ? ft[i].longest_gap_ms : gap;
    }
    say("flush ok=%d retry=%d error=%d", codes[FLB_OK], codes[FLB_RETRY], codes[FLB_ERROR]);
    say("flush in_flight_max=%d loop_gap_max_ms=%ld", most, gap);
    say("flush custom_events_added=%ld", __atomic_load_n(&custom_adds, __ATOMIC_RELAXED));
}
