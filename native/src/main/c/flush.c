/*
 * The output flush: the chunk is handed to Java and the flush coroutine yields until Java
 * answers, so Fluent Bit's thread (the engine's, or an output worker's) runs every other input,
 * timer and flush meanwhile (DESIGN.md decision 12, OUTPUT-PATH.md). Java answers within the
 * instance's deadline; the answer joins its loop's queue and wakes that loop through one eventfd
 * registered on it as a custom event, whose handler resumes each answered coroutine as
 * flb_coro_resume does.
 *
 * One eventfd per event loop and generation, registered at the first flush that yields there and
 * kept until the generation ends, not one per flush: a flush then opens and closes no descriptor
 * (four system calls fewer), and a descriptor that lives the whole generation cannot be the one a
 * stray second close in the process takes. Fluent Bit 2.2 to 4.0.5 close a paused time
 * collector's timerfd twice; on 3.2.10 a C threaded input doing that under Mem_Buf_Limit could take
 * a flush's new eventfd between its two closes, and the flush was never resumed (README).
 *
 * Where the yield cannot be had (a symbol missing, no coroutine or loop, the coroutine's slots
 * not found), or FLB4J_FLUSH_YIELD=off asks so, the thread waits for the answer instead: the
 * blocking flush of before, said once.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "shim.h"

/* The functions the fluent-bit executable exports from 2.2 to 5.1, looked up once. */
static struct {
    void *(*coro_get)(void);
    void (*coro_set)(void *coro);
    void *(*evl_get)(void);
    int (*event_add)(void *evl, int fd, int type, uint32_t mask, void *event);
    int (*event_del)(void *evl, void *event);
    void *(*co_active)(void);
    void (*co_switch)(void *cothread);
} fb;
static const char *const fb_symbols[] = {
    "flb_coro_get", "flb_coro_set", "flb_engine_evl_get", "mk_event_add", "mk_event_del", "co_active", "co_switch",
};
static pthread_once_t fb_once = PTHREAD_ONCE_INIT;
static const char *fb_missing;

enum state { PENDING, DONE, ORPHANED };

/* A loop's waker: its eventfd, registered once, and the answered flushes it has yet to resume. */
struct waker {
    struct mk_event event;   /* first: the loop hands the handler this address */
    int fd;
    struct completion *answered, *answered_tail;   /* under g_lock, in the order of the answers */
    struct waker *next;                            /* all wakers of this generation, under g_lock */
};

/* One flush in flight, on the heap: the coroutine's stack is small and may be switched away. */
struct completion {
    enum state state;            /* under g_lock, as are the next ones */
    int waiting_for;             /* 2: the engine call's return, and the answer */
    int result;
    void *coro;
    void **caller, **callee;     /* the coroutine's libco slots */
    struct waker *waker;         /* the loop that resumes it; NULL for a blocking flush */
    struct completion *next_answered;
    long handle;
    struct call call;
    struct completion *prev, *next;
};

static pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t g_answered = PTHREAD_COND_INITIALIZER;   /* blocking flushes wait on it */
static struct completion *g_pending;
static struct waker *g_wakers;
static long g_generation;                 /* a new one at every Unregister; atomic */
/* This thread's loop's waker, when it has one; the loop and generation kept beside it, since a
 * waker of an ended generation is freed. */
static __thread struct { struct waker *w; void *evl; long generation; } t_waker;
static int g_said_blocking;

/*
 * Workers with hot reload. Fluent Bit 3.2.10 and 5.1.1 start a proxy output's worker pool twice
 * (flb_proxy_output_cb_init, then flb_output_init_all); the first pool outlives a hot reload and
 * its thread's timer then reads the freed instance: SIGSEGV, with a C proxy output too (README,
 * Workers). workers.c stops that first pool at the instance's exit. Where it cannot (a symbol
 * missing, no free signal), a flush on another thread than the one that ran the instance's init
 * (the engine thread) runs on an output worker, and with hot reload on that is said once, before a
 * reload can crash the process, so the log names the cause. Set from the engine thread, read from
 * flushes.
 */
static pthread_t g_engine_thread;
static volatile int g_engine_known, g_hot_reload, g_said_workers;

void flush_note_engine_thread(void)
{
    g_engine_thread = pthread_self();
    __atomic_store_n(&g_engine_known, 1, __ATOMIC_RELEASE);
}

void flush_note_hot_reload(int enabled)
{
    g_hot_reload = enabled;
}

static void check_workers(void)
{
    if (!g_hot_reload || !__atomic_load_n(&g_engine_known, __ATOMIC_ACQUIRE)
            || pthread_equal(pthread_self(), g_engine_thread)
            || __atomic_exchange_n(&g_said_workers, 1, __ATOMIC_ACQ_REL) || workers_can_stop()) {
        return;
    }
    log_warn("flushes run on Fluent Bit's output worker threads (Workers is set) and hot reload is on: Fluent "
             "Bit 2.2 to 5.1 crash with SIGSEGV at a hot reload of a proxy output that has Workers (they start "
             "its worker pool twice and the first outlives the reload), and flb4j cannot stop that pool here "
             "(README, Workers). flb4j's flushes never hold Fluent Bit's thread: remove Workers from this output");
}

static void resolve(void)
{
    const char *yield = getenv("FLB4J_FLUSH_YIELD");
    if (yield && strcmp(yield, "off") == 0) {
        fb_missing = "FLB4J_FLUSH_YIELD=off";
        return;
    }
    void **slots = (void **) &fb;
    for (size_t i = 0; i < sizeof(fb_symbols) / sizeof(fb_symbols[0]); i++) {
        slots[i] = dlsym(RTLD_DEFAULT, fb_symbols[i]);
        if (!slots[i] && !fb_missing) {
            fb_missing = fb_symbols[i];
        }
    }
}

static void say_blocking(const char *why)
{
    pthread_mutex_lock(&g_lock);
    int first = !g_said_blocking;
    g_said_blocking = 1;
    pthread_mutex_unlock(&g_lock);
    if (first) {
        log_info("flushes wait on Fluent Bit's thread (%s): a slow flush delays that thread's other work", why);
    }
}

/*
 * struct flb_coro is { [unsigned int valgrind_stack_id;] cothread_t caller, callee; void *data; }:
 * the first field exists only where the build machine had valgrind.h. Inside the flush the
 * running cothread is the callee slot; the caller slot is the word before it.
 */
static int find_coroutine(struct completion *c, void **evl)
{
    pthread_once(&fb_once, resolve);
    if (fb_missing) {
        say_blocking(fb_missing);
        return -1;
    }
    void **slots = fb.coro_get();
    void *self = fb.co_active();
    *evl = fb.evl_get();
    if (!slots || !*evl) {
        say_blocking(slots ? "no event loop on this thread" : "not inside a coroutine");
        return -1;
    }
    int callee = slots[1] == self ? 1 : slots[2] == self ? 2 : 0;
    if (!callee) {
        say_blocking("the coroutine's layout is not known");
        return -1;
    }
    c->coro = slots;
    c->callee = &slots[callee];
    c->caller = &slots[callee - 1];
    return 0;
}

/* The loop saw its eventfd: resume each answered flush exactly as flb_coro_resume does. */
static int on_answers(void *event)
{
    struct waker *w = event;
    uint64_t n;
    while (read(w->fd, &n, sizeof(n)) < 0 && errno == EINTR) {
    }
    pthread_mutex_lock(&g_lock);
    struct completion *c = w->answered;
    w->answered = w->answered_tail = NULL;
    pthread_mutex_unlock(&g_lock);
    while (c) {
        struct completion *next = c->next_answered;
        fb.coro_set(c->coro);
        *c->caller = fb.co_active();
        fb.co_switch(*c->callee);   /* c is freed by the time this returns */
        c = next;
    }
    return 0;
}

/* On the flush's own thread: its loop's waker, registered there at the loop's first yield. */
static struct waker *waker_for(void *evl)
{
    long generation = __atomic_load_n(&g_generation, __ATOMIC_ACQUIRE);
    if (t_waker.w && t_waker.evl == evl && t_waker.generation == generation) {
        return t_waker.w;
    }
    struct waker *w = calloc(1, sizeof(*w));
    if (!w || (w->fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) < 0) {
        free(w);
        return NULL;
    }
    w->event.handler = on_answers;
    if (fb.event_add(evl, w->fd, MK_EVENT_CUSTOM, MK_EVENT_READ, &w->event) != 0) {
        close(w->fd);
        free(w);
        return NULL;
    }
    pthread_mutex_lock(&g_lock);
    w->next = g_wakers;
    g_wakers = w;
    pthread_mutex_unlock(&g_lock);
    t_waker.w = w;
    t_waker.evl = evl;
    t_waker.generation = generation;
    return w;
}

static void unlink_pending(struct completion *c)
{
    if (c->prev) {
        c->prev->next = c->next;
    }
    else {
        g_pending = c->next;
    }
    if (c->next) {
        c->next->prev = c->prev;
    }
}

/* Under g_lock: one of the two parties is done with c. The second wakes the flush, or frees c if
 * no flush waits any more. Neither may touch c after its arrival. */
static void arrive(struct completion *c)
{
    if (--c->waiting_for > 0) {
        return;
    }
    if (c->state == ORPHANED) {
        unlink_pending(c);
        free(c);
        return;
    }
    c->state = DONE;
    struct waker *w = c->waker;
    if (!w) {
        pthread_cond_broadcast(&g_answered);
        return;
    }
    int was_empty = w->answered == NULL;
    if (was_empty) {
        w->answered = c;
    }
    else {
        w->answered_tail->next_answered = c;
    }
    w->answered_tail = c;
    uint64_t one = 1;
    if (was_empty && write(w->fd, &one, sizeof(one)) != sizeof(one)) {
        log_error("could not wake a flush: %s", strerror(errno));
    }
}

void flush_answer(struct completion *c, int result)
{
    pthread_mutex_lock(&g_lock);
    c->result = result;
    arrive(c);
    pthread_mutex_unlock(&g_lock);
}

/* On the worker, once the engine call returned: an answer now, or FLUSH_PENDING for later. */
static void flush_started(struct call *call)
{
    struct completion *c = (struct completion *) ((char *) call - offsetof(struct completion, call));
    pthread_mutex_lock(&g_lock);
    if (call->result != FLUSH_PENDING) {
        c->result = (int) call->result;
        arrive(c);
    }
    arrive(c);
    pthread_mutex_unlock(&g_lock);
}

int flush_run(long handle, const void *data, size_t size, char *tag)
{
    struct completion *c = calloc(1, sizeof(*c));
    if (!c) {
        log_error("cannot start a flush of tag '%s': out of memory; Fluent Bit will retry it", tag);
        return FLB_RETRY;
    }
    c->handle = handle;
    c->waiting_for = 2;
    check_workers();
    void *evl = NULL;
    if (find_coroutine(c, &evl) == 0 && !(c->waker = waker_for(evl))) {
        say_blocking("the event loop refused an eventfd");
    }
    pthread_mutex_lock(&g_lock);
    c->next = g_pending;
    if (g_pending) {
        g_pending->prev = c;
    }
    g_pending = c;
    pthread_mutex_unlock(&g_lock);

    c->call.op = OP_FLUSH;
    c->call.handle = handle;
    c->call.arg = (long) (intptr_t) c;
    c->call.data = data;
    c->call.size = size;
    c->call.tag = tag;
    c->call.finish = flush_started;
    if (dispatch_async(&c->call) != 0) {
        c->call.result = failure_result(OP_FLUSH);
        flush_started(&c->call);   /* both parties at once: the engine never had the call */
    }
    if (c->waker) {
        fb.co_switch(*c->caller);   /* back here when on_answers resumes the coroutine */
        pthread_mutex_lock(&g_lock);
    }
    else {
        pthread_mutex_lock(&g_lock);
        while (c->state != DONE) {
            pthread_cond_wait(&g_answered, &g_lock);
        }
    }
    unlink_pending(c);
    pthread_mutex_unlock(&g_lock);
    int result = c->result;
    free(c);
    return result;
}

/* Under g_lock: c out of its waker's queue of answered flushes, if it is there. */
static void unqueue(struct completion *c)
{
    struct waker *w = c->waker;
    struct completion *before = NULL;
    for (struct completion *q = w->answered; q; before = q, q = q->next_answered) {
        if (q == c) {
            if (before) {
                before->next_answered = c->next_answered;
            }
            else {
                w->answered = c->next_answered;
            }
            if (w->answered_tail == c) {
                w->answered_tail = before;
            }
            return;
        }
    }
}

/*
 * Exit of an instance (handle) or of all (0): Fluent Bit calls it once it has stopped waiting
 * for its tasks, and no loop will resume a flush of that instance again. Answered flushes are
 * dropped now; one still waiting for a party is dropped when that party arrives. At the end of a
 * generation (0) the loops' eventfds are closed, which takes each out of a loop still alive, and
 * the next generation registers new ones.
 */
void flush_orphan(long handle)
{
    pthread_mutex_lock(&g_lock);
    struct completion *c = g_pending;
    while (c) {
        struct completion *next = c->next;
        /* A blocking flush's own thread cleans up after it. */
        if ((handle == 0 || c->handle == handle) && c->waker && c->state != ORPHANED) {
            if (c->state == DONE) {
                unqueue(c);
                unlink_pending(c);
                free(c);
            }
            else {
                c->state = ORPHANED;
            }
        }
        c = next;
    }
    if (handle == 0) {
        while (g_wakers) {
            struct waker *w = g_wakers;
            g_wakers = w->next;
            close(w->fd);
            free(w);
        }
        __atomic_add_fetch(&g_generation, 1, __ATOMIC_RELEASE);
    }
    pthread_mutex_unlock(&g_lock);
}
