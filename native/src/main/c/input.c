/*
 * The event-driven input path: batches reach Fluent Bit as soon as Java has sealed them,
 * instead of once a second through the proxy's timer collector.
 *
 * At Init the shim registers a collector of its own on an eventfd (flb_input_set_collector_event,
 * exported by every fluent-bit from 2.0 to 5.1). A Java thread hands a sealed batch over with
 * input_submit (a JNI native): the batch waits in this instance's slot, the eventfd wakes Fluent
 * Bit's input thread, whose callback appends it (flb_input_log_append copies it into a chunk) and
 * wakes the submitter. The submitter learns that Fluent Bit took the batch, or that the input is
 * stopping and it did not. Java never runs on the input thread.
 *
 * Guards, any of which failing leaves the proxy's 1-second path in place (with one info line):
 * every function is exported, Init runs on a thread named flb-in-* (a threaded input), and the
 * collector id is >= 0. See INPUT-PATH.md for the facts these rest on.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "shim.h"

typedef int (*collect_cb)(void *ins, void *config, void *context);
typedef int (*set_collector_event_fn)(void *ins, collect_cb cb, int fd, void *config);
typedef int (*log_append_fn)(void *ins, const char *tag, size_t tag_len, const void *buf, size_t size);
typedef int (*collector_fn)(int coll_id, void *ins);
/* cmt_decode_msgpack_create / ctr_decode_msgpack_create, flb_input_metrics_append /
 * flb_input_trace_append, cmt_destroy / ctr_destroy: the same shapes for both kinds. */
typedef int (*decode_fn)(void **context, char *buf, size_t size, size_t *offset);
typedef int (*context_append_fn)(void *ins, const char *tag, size_t tag_len, void *context);
typedef void (*destroy_fn)(void *context);

static struct {
    set_collector_event_fn set_collector_event;
    log_append_fn log_append;
    collector_fn pause, resume, remove;
    void *(*get_event)(int coll_id, void *ins);    /* for input_timers_stop; optional */
    int (*timeout_destroy)(void *evl, void *event);
    decode_fn cmt_decode;              /* metrics: Fluent Bit's own cmetrics decoder ... */
    context_append_fn metrics_append;  /* ... and the append every metrics input uses */
    destroy_fn cmt_destroy;
    decode_fn ctr_decode;              /* traces: Fluent Bit's own ctraces decoder ... */
    context_append_fn trace_append;    /* ... and the append every traces input uses */
    destroy_fn ctr_destroy;
    int append_owns_traces;            /* 4.0+: a successful append destroys the context */
    int late_chunks_lost;              /* before 4.0.3: see input_path_pause */
} fb;

#define MAX_INPUTS 64

/*
 * When a batch is in a chunk. A proxy input is threaded: flb_input_log_append (and the metrics
 * and traces appends) copy the batch into the instance's ring buffer, a lwrb of pointers, and
 * Fluent Bit's engine thread appends it to a chunk when it drains that ring: when 5 % of it is
 * used, otherwise every 250 ms, and never while the input is paused (src/flb_input_chunk.c). A
 * batch still in the ring is in no chunk: a Fluent Bit killed then loses it even with
 * storage.type filesystem, and at shutdown Fluent Bit frees what is left there. Found with
 * tail_java killed under a busy writer: 693 lines lost whose offset had been committed.
 *
 * So a batch counts as in a chunk only once the engine has read past it in the ring. The ring
 * is found at Init by its signature, not by struct offsets: a pointer within the first 4 KiB of
 * the instance to a struct whose first 64 bytes point to a lwrb_t with both magic words (lwrb
 * is built with LWRB_USE_MAGIC and the same lwrb_t from 2.2 to 5.1). Memory is probed through
 * a pipe, so an address that is not readable is an error, never a fault. The first append
 * checks the find: it must move the ring's write position by whole pointers. If either fails,
 * one info line says so and a batch counts once its append returned, as before.
 */
struct lwrb_view {
    uint32_t magic1;
    uint8_t *buff;
    size_t size;
    volatile size_t r;
    volatile size_t w;
    void *evt_fn;
    uint32_t magic2;
};

#define LWRB_MAGIC1 0xDEADBEEFu
#define LWRB_MAGIC2 (~0xDEADBEEFu)
#define RING_SEARCH_BYTES 4096

/* Copies n bytes from addr through a pipe: -1 instead of a fault when they are not readable. */
int probe(int fds[2], const void *addr, void *out, size_t n)
{
    ssize_t put = write(fds[1], addr, n);
    if (put <= 0) {
        return -1;
    }
    ssize_t got = read(fds[0], out, (size_t) put);
    return put == (ssize_t) n && got == put ? 0 : -1;
}

/*
 * struct flb_ring_buffer after its ctx, the same in 3.2 and 5.1 (5.1 has a mutex before ctx):
 * what wakes the engine to drain the ring at once. Used only when data_size and data_buf agree
 * with the lwrb_t found and the write end is a pipe.
 */
struct ring_after_ctx {
    void *ctx;
    void *event_loop;
    int flush_pending;
    void *signal_event;
    int signal_channels[2];
    uint64_t data_window;
    uint64_t data_size;
    void *data_buf;
};

static struct lwrb_view *find_ring(void *ins, void **rb_found, size_t *ctx_offset)
{
    int fds[2];
    if (pipe2(fds, O_CLOEXEC | O_NONBLOCK) != 0) {
        return NULL;
    }
    struct lwrb_view *found = NULL;
    for (size_t off = 0; off < RING_SEARCH_BYTES && !found; off += sizeof(void *)) {
        void *rb;
        if (probe(fds, (char *) ins + off, &rb, sizeof(rb)) != 0) {
            break;
        }
        void *fields[8];
        if (!rb || ((uintptr_t) rb & 7) || probe(fds, rb, fields, sizeof(fields)) != 0) {
            continue;
        }
        for (int i = 0; i < 8 && !found; i++) {
            struct lwrb_view v;
            if (fields[i] && !((uintptr_t) fields[i] & 7) && probe(fds, fields[i], &v, sizeof(v)) == 0
                && v.magic1 == LWRB_MAGIC1 && v.magic2 == LWRB_MAGIC2 && v.buff && v.size > 1 && v.r < v.size
                && v.w < v.size) {
                found = fields[i];
                *rb_found = rb;
                *ctx_offset = (size_t) i * sizeof(void *);
            }
        }
    }
    close(fds[0]);
    close(fds[1]);
    return found;
}

struct ring_mark {
    uint64_t end;       /* where the batch ends, in bytes ever written to the ring */
    long ticket;        /* the batch: the n-th append that succeeded */
};

/* The engine is woken for batches it has not read (see ring_wake), at most once a millisecond. */
#define WAKE_EVERY_MS 1

struct input_path {
    void *ins;
    pthread_t thread;       /* Fluent Bit's input thread of this instance */
    int efd;
    int coll_id;
    int stopping;
    const void *data;       /* the batch waiting to be appended, or NULL */
    size_t size;
    int appending;          /* the input thread is appending data (outside the lock) */
    long submitted, appended;   /* batches: a submitter waits until appended reaches its own */
    int last_rc;
    struct lwrb_view *ring;     /* the instance's ring buffer, or NULL: then appended means in a chunk */
    void *rb;                   /* the struct flb_ring_buffer holding it ... */
    size_t ctx_offset;          /* ... and where in it the pointer to ring is */
    long woken_ms;              /* when ring_wake last wrote */
    int wake_fd;                /* the ring's signal pipe once recognised (0 until then) ... */
    int wake_refused;           /* ... or: the struct around the ring is not the one ring_wake knows */
    int ring_checked;           /* the first append confirmed the ring */
    size_t ring_w;              /* the ring's write position when last seen ... */
    uint64_t ring_written;      /* ... and the bytes ever written to it up to there */
    long tickets, in_chunks;    /* appends that succeeded; of those, how many the engine has read */
    int frozen;                 /* paused where a chunk filled after a stop may never be flushed */
    struct ring_mark *marks;    /* appends not yet read by the engine, oldest first (a circular queue) */
    size_t marks_cap, marks_head, marks_len;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t appended_cond = PTHREAD_COND_INITIALIZER;
static struct input_path *inputs[MAX_INPUTS];
static __thread void *t_instance;   /* the input instance this thread runs (a proxy input is threaded) */

static struct input_path *find(void *ins)
{
    for (int i = 0; i < MAX_INPUTS; i++) {
        if (inputs[i] && inputs[i]->ins == ins) {
            return inputs[i];
        }
    }
    return NULL;
}

static int resolve(void)
{
    fb.set_collector_event = (set_collector_event_fn) dlsym(RTLD_DEFAULT, "flb_input_set_collector_event");
    fb.log_append = (log_append_fn) dlsym(RTLD_DEFAULT, "flb_input_log_append");
    fb.pause = (collector_fn) dlsym(RTLD_DEFAULT, "flb_input_collector_pause");
    fb.resume = (collector_fn) dlsym(RTLD_DEFAULT, "flb_input_collector_resume");
    fb.remove = (collector_fn) dlsym(RTLD_DEFAULT, "flb_input_collector_delete");
    fb.get_event = (void *(*)(int, void *)) dlsym(RTLD_DEFAULT, "flb_input_collector_get_event");
    fb.timeout_destroy = (int (*)(void *, void *)) dlsym(RTLD_DEFAULT, "mk_event_timeout_destroy");
    fb.late_chunks_lost = dlsym(RTLD_DEFAULT, "flb_proxy_custom_cb_init") == NULL;
    return fb.set_collector_event && fb.log_append && fb.pause && fb.resume && fb.remove ? 0 : -1;
}

/*
 * Metrics and traces arrive from Java as cmetrics or ctraces contexts in msgpack
 * (TelemetryEncoder), each a batch of its own; log batches are msgpack arrays, a context is a
 * map: a cmetrics context's first key is "meta", a ctraces context's "resourceSpans".
 *
 * Metrics: each context is decoded by Fluent Bit's cmt_decode_msgpack_create and appended with
 * flb_input_metrics_append (processors run, the context is encoded into a metrics chunk), then
 * destroyed: from 2.2 to 5.1 the append copies, and the caller keeps its context (in-tree inputs
 * reuse theirs).
 *
 * Traces: decoded by ctr_decode_msgpack_create and appended with flb_input_trace_append. Who
 * owns the context afterwards changed in 4.0.0 (src/flb_input_trace.c, commit "input_trace: own
 * management of ctrace context on success"): up to 3.2 the append copies and the caller destroys
 * it; from 4.0.0 a successful append destroys it itself (a processor may keep it), and after a
 * failure the caller still does. 4.0.0 is told by flb_input_profiles_append, new in that release
 * with profiles. All six functions are exported by every release from 2.2 to 5.1.
 */
int input_is_telemetry(const void *data, size_t size)
{
    unsigned char first = size > 0 ? *(const unsigned char *) data : 0;
    return (first >= 0x80 && first <= 0x8f) || first == 0xde || first == 0xdf;
}

/* Whether the context at data is a ctraces one: its first key is "resourceSpans". */
static int is_traces(const unsigned char *data, size_t size)
{
    static const char key[] = "resourceSpans";
    size_t at = data[0] == 0xde ? 3 : data[0] == 0xdf ? 5 : 1;
    size_t len = sizeof(key) - 1;
    return at + 1 + len <= size && data[at] == (0xa0 | len) && memcmp(data + at + 1, key, len) == 0;
}

int input_metrics_supported(void)
{
    fb.cmt_decode = (decode_fn) dlsym(RTLD_DEFAULT, "cmt_decode_msgpack_create");
    fb.metrics_append = (context_append_fn) dlsym(RTLD_DEFAULT, "flb_input_metrics_append");
    fb.cmt_destroy = (destroy_fn) dlsym(RTLD_DEFAULT, "cmt_destroy");
    return fb.cmt_decode && fb.metrics_append && fb.cmt_destroy;
}

int input_traces_supported(void)
{
    fb.ctr_decode = (decode_fn) dlsym(RTLD_DEFAULT, "ctr_decode_msgpack_create");
    fb.trace_append = (context_append_fn) dlsym(RTLD_DEFAULT, "flb_input_trace_append");
    fb.ctr_destroy = (destroy_fn) dlsym(RTLD_DEFAULT, "ctr_destroy");
    fb.append_owns_traces = dlsym(RTLD_DEFAULT, "flb_input_profiles_append") != NULL;
    return fb.ctr_decode && fb.trace_append && fb.ctr_destroy;
}

/* One kind of telemetry context: Fluent Bit's decoder, append and destroy for it. */
struct context_kind {
    const char *what, *library;     /* "metrics", "cmetrics" */
    decode_fn decode;
    context_append_fn append;
    destroy_fn destroy;
    int append_owns;                /* a successful append destroys the context itself */
};

/* Decodes each context of the batch with Fluent Bit's own decoder and appends it. */
static int append_contexts(void *ins, const void *data, size_t size, const struct context_kind *k)
{
    size_t offset = 0;
    while (offset < size) {
        void *context = NULL;
        size_t at = offset;
        int rc = k->decode(&context, (char *) data, size, &offset);
        if (rc != 0 || !context) {
            log_error("Fluent Bit's %s decoder refused the %s at offset %zu of %zu (code %d): %s not appended",
                      k->library, k->what, at, size, rc, k->what);
            return -1;
        }
        rc = k->append(ins, NULL, 0, context);
        if (rc != 0 || !k->append_owns) {
            k->destroy(context);
        }
        if (rc != 0) {
            return rc;
        }
    }
    return 0;
}

int input_append(void *ins, const void *data, size_t size)
{
    if (!input_is_telemetry(data, size)) {
        return fb.log_append(ins, NULL, 0, data, size);   /* only the event path hands logs here, after resolve() */
    }
    if (is_traces(data, size)) {
        if (!fb.ctr_decode && !input_traces_supported()) {
            log_error("this Fluent Bit does not export ctr_decode_msgpack_create, flb_input_trace_append and "
                      "ctr_destroy: traces not appended");
            return -1;
        }
        struct context_kind traces = { "traces", "ctraces", fb.ctr_decode, fb.trace_append, fb.ctr_destroy,
                                       fb.append_owns_traces };
        return append_contexts(ins, data, size, &traces);
    }
    if (!fb.cmt_decode && !input_metrics_supported()) {
        log_error("this Fluent Bit does not export cmt_decode_msgpack_create, flb_input_metrics_append and "
                  "cmt_destroy: metrics not appended");
        return -1;
    }
    struct context_kind metrics = { "metrics", "cmetrics", fb.cmt_decode, fb.metrics_append, fb.cmt_destroy, 0 };
    return append_contexts(ins, data, size, &metrics);
}

/* Under the lock: brings the count of bytes written to the ring up to its write position now. */
static void ring_sync(struct input_path *p)
{
    size_t w = p->ring->w;
    p->ring_written += (w + p->ring->size - p->ring_w) % p->ring->size;
    p->ring_w = w;
}

static void ring_untrack(struct input_path *p, const char *why)
{
    log_info("events count as handed off when Fluent Bit's append returns, before its engine puts them in a "
             "chunk (%s): a Fluent Bit killed within about 250 ms of that can lose events already handed off", why);
    p->ring = NULL;
    p->in_chunks = p->tickets;
    p->marks_len = 0;
}

/* Under the lock, after a successful append that moved the ring's write position from w0 to w1. */
static void ring_mark(struct input_path *p, size_t w0, size_t w1)
{
    p->tickets++;
    if (!p->ring) {
        p->in_chunks = p->tickets;
        return;
    }
    size_t moved = (w1 + p->ring->size - w0) % p->ring->size;
    if (!p->ring_checked && (moved == 0 || moved % sizeof(void *) != 0)) {
        ring_untrack(p, "the append did not write to the ring buffer found");
        return;
    }
    p->ring_checked = 1;
    if (p->marks_len == p->marks_cap) {
        ring_untrack(p, "more appends in the ring than it can hold");
        return;
    }
    ring_sync(p);
    p->marks[(p->marks_head + p->marks_len++) % p->marks_cap] = (struct ring_mark) { p->ring_written, p->tickets };
}

/*
 * Under the lock: the write end of the ring's signal pipe, or 0 while there is none. Looked for
 * until found, since the engine attaches the ring to its loop after the instance's init; then
 * kept, since the pipe lives as long as the ring, which outlives this path. Found only when the
 * struct agrees with the lwrb_t found and the descriptor is a pipe.
 */
static int ring_signal_pipe(struct input_path *p)
{
    int fds[2];
    struct ring_after_ctx after;
    if (p->wake_fd || p->wake_refused || pipe2(fds, O_CLOEXEC | O_NONBLOCK) != 0) {
        return p->wake_fd;
    }
    int ok = probe(fds, (char *) p->rb + p->ctx_offset, &after, sizeof(after)) == 0;
    close(fds[0]);
    close(fds[1]);
    if (!ok || after.ctx != p->ring || after.data_buf != p->ring->buff || after.data_size + 1 != p->ring->size) {
        p->wake_refused = 1;   /* another layout around the ring: said once, the 250-ms timer drains it */
        log_info("the ring buffer's signal pipe was not recognised: a quiet source's events are handed off "
                 "when Fluent Bit's engine drains the ring, within 250 ms");
        return 0;
    }
    struct stat st;
    if (after.event_loop && after.signal_channels[1] > 2 && fstat(after.signal_channels[1], &st) == 0
        && S_ISFIFO(st.st_mode)) {
        p->wake_fd = after.signal_channels[1];
    }
    return p->wake_fd;   /* 0: not attached to the engine's loop yet */
}

/*
 * Under the lock: asks the engine to drain the ring now, as the ring itself does once 5 % of it
 * is used, by writing one byte to its signal pipe when it has room. Without this a quiet source's
 * batch waits for the engine's 250-ms timer before it is handed off, and a push source answers
 * its client that much later (an HTTP input answered in 199 ms at p50).
 */
static void ring_wake(struct input_path *p)
{
    int fd = ring_signal_pipe(p);
    struct pollfd room = { fd, POLLOUT, 0 };
    if (fd && poll(&room, 1, 0) == 1 && (room.revents & POLLOUT)) {
        ssize_t n = write(fd, ".", 1);
        (void) n;
    }
}

/* On Fluent Bit's input thread: appends the waiting batch, if any, and wakes its submitter. */
static int on_ready(void *ins, void *config, void *context)
{
    (void) config;
    (void) context;
    uint64_t count;
    pthread_mutex_lock(&lock);
    struct input_path *p = find(ins);
    if (p && read(p->efd, &count, sizeof(count)) < 0 && errno != EAGAIN) {
        log_error("reading the input's eventfd failed: %s", strerror(errno));
    }
    if (p && p->data && !p->appending) {
        const void *data = p->data;
        size_t size = p->size;
        p->appending = 1;
        struct lwrb_view *ring = p->ring;
        size_t w0 = ring ? ring->w : 0;   /* only this thread writes to the ring */
        pthread_mutex_unlock(&lock);
        int rc = input_append(ins, data, size);   /* may wait for Fluent Bit: not under the lock */
        size_t w1 = ring ? ring->w : 0;
        pthread_mutex_lock(&lock);
        if (rc == 0) {
            ring_mark(p, w0, w1);
        }
        p->appending = 0;
        p->data = NULL;
        p->last_rc = rc;
        p->appended++;
        pthread_cond_broadcast(&appended_cond);
    }
    pthread_mutex_unlock(&lock);
    return 0;
}

static int on_input_thread(void)
{
    char name[32] = "";
    return pthread_getname_np(pthread_self(), name, sizeof(name)) == 0 && strncmp(name, "flb-in-", 7) == 0;
}

void input_path_open(void *ins)
{
    t_instance = ins;
    const char *why = resolve() != 0 ? "this Fluent Bit does not export the collector functions"
                      : !on_input_thread() ? "the input does not run on a thread of its own" : NULL;
    struct input_path *p = NULL;
    if (!why) {
        p = calloc(1, sizeof(*p));
        p->ins = ins;
        p->thread = pthread_self();
        p->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
        p->coll_id = p->efd >= 0 ? fb.set_collector_event(ins, on_ready, p->efd, NULL) : -1;
        if (p->coll_id < 0) {
            why = "registering a collector failed";
        }
        p->ring = why ? NULL : find_ring(ins, &p->rb, &p->ctx_offset);
        if (p->ring) {
            p->marks_cap = p->ring->size / sizeof(void *) + 2;   /* each append is at least one entry */
            p->marks = calloc(p->marks_cap, sizeof(*p->marks));
            p->ring_w = p->ring->w;
        }
        if (!why && !p->marks) {
            ring_untrack(p, p->ring ? "out of memory" : "the input's ring buffer was not found");
        }
    }
    pthread_mutex_lock(&lock);
    for (int i = 0; !why && i < MAX_INPUTS; i++) {
        if (!inputs[i]) {
            inputs[i] = p;
            p = NULL;
            break;
        }
    }
    pthread_mutex_unlock(&lock);
    if (why || p) {
        log_info("batches go to Fluent Bit on the proxy's 1-second collect: %s", why ? why : "too many inputs");
        if (p && p->efd >= 0) {
            close(p->efd);
        }
        free(p);
    }
}

int input_submit(void *ins, const void *data, size_t size)
{
    pthread_mutex_lock(&lock);
    struct input_path *p = find(ins);
    if (!p) {
        pthread_mutex_unlock(&lock);
        return INPUT_NO_PATH;
    }
    while ((p->data || p->appending) && !p->stopping) {   /* one batch in flight per instance */
        pthread_cond_wait(&appended_cond, &lock);
    }
    if (p->stopping) {
        pthread_mutex_unlock(&lock);
        return INPUT_STOPPING;
    }
    p->data = data;
    p->size = size;
    long mine = ++p->submitted;
    uint64_t one = 1;
    if (write(p->efd, &one, sizeof(one)) < 0) {
        log_error("waking the input thread failed: %s", strerror(errno));
    }
    /* Wait until appended; when stopping, take the batch back unless it is being appended. */
    while (p->appended < mine && !(p->stopping && p->data == data && !p->appending)) {
        pthread_cond_wait(&appended_cond, &lock);
    }
    int rc = p->appended >= mine ? (p->last_rc == 0 ? INPUT_TAKEN : INPUT_REFUSED) : INPUT_STOPPING;
    if (rc == INPUT_STOPPING) {
        p->data = NULL;   /* never appended: the caller keeps its batch */
    }
    pthread_mutex_unlock(&lock);
    return rc;
}

long input_in_chunks(void *ins)
{
    pthread_mutex_lock(&lock);
    struct input_path *p = find(ins);
    long n = -1;
    if (p && p->ring) {
        size_t r = p->ring->r;   /* r before w: a later w only makes the unread part look larger */
        ring_sync(p);
        uint64_t read = p->ring_written - (p->ring_w + p->ring->size - r) % p->ring->size;
        while (!p->frozen && p->marks_len > 0 && p->marks[p->marks_head].end <= read) {
            p->in_chunks = p->marks[p->marks_head].ticket;
            p->marks_head = (p->marks_head + 1) % p->marks_cap;
            p->marks_len--;
        }
        long now = monotonic_ms();
        if (p->marks_len > 0 && !p->frozen && now - p->woken_ms >= WAKE_EVERY_MS) {
            p->woken_ms = now;
            ring_wake(p);
        }
    }
    if (p) {
        n = p->in_chunks;
    }
    pthread_mutex_unlock(&lock);
    return n;
}

/*
 * Pause and Resume take no argument: Fluent Bit calls them on the paused instance's own thread.
 *
 * Before 4.0.3 (told by flb_proxy_custom_cb_init, new in 4.0.3 as is the shutdown fix below), a
 * pause also stops what counts as in a chunk until the resume. At a stop (hot reload, SIGTERM)
 * Fluent Bit flushes the chunks it has, then pauses every input, and goes on draining the rings
 * of threaded inputs into chunks that it flushes only if a flush tick comes before its next
 * 1-second check finds no task running: otherwise they are freed unsent (src/flb_engine.c; 4.0.3
 * counts chunks not yet flushed in that check, fluent-bit pull request 9952). Found with
 * jdbc.sh's reload on 3.2.10: 3 runs of 11 lost 100-206 events of one generation that had
 * counted as taken. A batch the engine reads from the ring while the input is paused so counts
 * as not taken, and its source is told and sends it again: duplicates, never losses. During a
 * pause for Mem_Buf_Limit or storage the engine does not read the ring, so nothing changes there.
 */
void input_path_pause(int pause)
{
    pthread_mutex_lock(&lock);
    for (int i = 0; i < MAX_INPUTS; i++) {
        if (inputs[i] && pthread_equal(inputs[i]->thread, pthread_self())) {
            (pause ? fb.pause : fb.resume)(inputs[i]->coll_id, inputs[i]->ins);
            inputs[i]->frozen = pause && fb.late_chunks_lost;
        }
    }
    pthread_mutex_unlock(&lock);
}

/* First step of exit: submitters return, so Java can stop its threads (Exit ends every
 * instance of the plugin, so every path stops). */
void input_path_stop(void)
{
    pthread_mutex_lock(&lock);
    for (int i = 0; i < MAX_INPUTS; i++) {
        if (inputs[i]) {
            inputs[i]->stopping = 1;
        }
    }
    pthread_cond_broadcast(&appended_cond);
    pthread_mutex_unlock(&lock);
}

/*
 * Last step of exit, after Java stopped: the collector goes before its fd is closed. Only this
 * thread's instance: Fluent Bit calls Exit once per instance, each on the instance's own thread,
 * and a collector is deleted on the thread that runs it.
 */
void input_path_close(void)
{
    pthread_mutex_lock(&lock);
    for (int i = 0; i < MAX_INPUTS; i++) {
        struct input_path *p = inputs[i];
        if (p && pthread_equal(p->thread, pthread_self())) {
            fb.remove(p->coll_id, p->ins);
            close(p->efd);
            free(p->marks);
            free(p);
            inputs[i] = NULL;
        }
    }
    pthread_mutex_unlock(&lock);
}

/*
 * The proxy's 1-second collector, paused and ended as Fluent Bit 4.0.6 and later do it.
 *
 * Fluent Bit 2.2 to 4.0.5 close a time collector's timerfd twice when they pause it
 * (flb_input_collector_pause: mk_event_timeout_destroy closes it, then mk_event_closesocket closes
 * the number it saved before) and when they destroy one still running (flb_input_collector_destroy);
 * fluent-bit commit 88696026c, in 4.0.6, removed the second close of both. A proxy input is
 * threaded, so Fluent Bit pauses its collector on the input's own thread (Mem_Buf_Limit, storage,
 * every stop and hot reload) while the engine, output workers and Java threads open files: any of
 * them may be given that number between the two closes, and the second close takes it from its
 * owner. Seen with 3.2.10 under strace: the input thread closed the engine's new shutdown timerfd
 * (timerfd_settime: Bad file descriptor, a hot reload that never ended), and the eventfd of a
 * yielded flush ("could not wake a flush: Bad file descriptor", that flush never resumed).
 *
 * The proxy calls FLBPluginInputPause on that thread just before it pauses its collector, and
 * FLBPluginExit before Fluent Bit destroys the instance's collectors. At both the shim stops this
 * instance's running time collectors itself, once, as 4.0.6 does: fd_timer -1, the timer's event
 * taken out of its loop and closed by mk_event_timeout_destroy, running false. Fluent Bit's own
 * pause then finds the collector stopped and closes nothing, and its destroy skips a collector
 * whose fd_timer is -1; a resume starts a new timer as always. struct flb_input_collector has had
 * the same layout from 2.2 to 5.1; a collector is touched only when Fluent Bit's own
 * flb_input_collector_get_event gives it and every field checked agrees (the id asked, the
 * instance, a time collector running on the timerfd its event watches). Where a function is
 * missing, Fluent Bit pauses as it always did.
 */
struct collector_view {
    struct mk_event event;     /* first: flb_input_collector_get_event gives its address */
    void *evl;
    int id, type, running;
    int fd_event, fd_timer;
    time_t seconds;
    long nanoseconds;
    void *cb_collect;
    void *instance;
};

#define COLLECT_TIME 1
#define MAX_COLLECTOR_ID 16   /* ids count up from 0 per instance; a proxy input has two or three */

void input_timers_stop(void)
{
    void *ins = t_instance;   /* set by input_path_open, after which fb is resolved */
    for (int id = 0; ins && fb.get_event && fb.timeout_destroy && id < MAX_COLLECTOR_ID; id++) {
        struct collector_view *c = fb.get_event(id, ins);
        if (c && c->id == id && c->instance == ins && c->type == COLLECT_TIME && c->running == 1 && c->fd_timer >= 0
                && c->event.fd == c->fd_timer && c->evl) {
            c->fd_timer = -1;
            fb.timeout_destroy(c->evl, &c->event);
            c->running = 0;
        }
    }
}
