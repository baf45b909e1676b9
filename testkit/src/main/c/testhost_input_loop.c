/*
 * A threaded input's event loop: the collector functions Fluent Bit exports, run on a thread of
 * the input's own (named flb-in-*), with the proxy's collect every second beside the collectors a
 * plugin registers (flb_input_set_collector_event), as a threaded input runs in Fluent Bit.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include "testhost.h"

#define MAX_COLLECTORS 8
/*
 * Each collector as Fluent Bit keeps it (struct flb_input_collector, the same from 2.2 to 5.1),
 * which flb_input_collector_get_event hands out: a plugin's event collectors, and the proxy's
 * 1-second time collector on a timerfd, registered after the plugin's init as the proxy does.
 * Pause, resume, delete and the instance's destroy follow src/flb_input.c; before 4.0.6 they
 * close a time collector's timerfd twice, which is said ("closed a second time") instead of done,
 * since the second close would take the number from whoever was given it meanwhile.
 */
struct collector {
    struct mk_event event;
    void *evl;
    int id, type, running;
    int fd_event, fd_timer;
    time_t seconds;
    long nanoseconds;
    int (*cb)(void *, void *, void *);
    void *ins;
    int deleted;
};
#define COLLECT_TIME 1
#define COLLECT_FD_EVENT 2
static struct collector collectors[MAX_COLLECTORS];
static int collector_count;
static char input_loop;   /* the input thread's loop: its address, as collectors keep it */
static pthread_t input_thread;
static FILE *appended_out;
static long appended_bytes, appended_calls;
static long timer_pauses, timer_resumes, timer_second_closes, timer_collects;

int flb_input_set_collector_event(void *ins, int (*cb)(void *, void *, void *), int fd, void *config)
{
    (void) config;
    if (collector_count >= MAX_COLLECTORS || !pthread_equal(pthread_self(), input_thread)) {
        return -1;
    }
    collectors[collector_count] = (struct collector) { .event = { .fd = fd }, .evl = &input_loop, .id = collector_count,
        .type = COLLECT_FD_EVENT, .running = 1, .fd_event = fd, .fd_timer = -1, .cb = cb, .ins = ins };
    return collector_count++;
}

static int new_timer(struct collector *c)
{
    int fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
    struct itimerspec every = { { c->seconds, c->nanoseconds }, { c->seconds, c->nanoseconds } };
    if (fd < 0 || timerfd_settime(fd, 0, &every, NULL) != 0) {
        die("timerfd");
    }
    c->event.fd = fd;
    c->fd_timer = fd;
    return fd;
}

static int set_collector_time(void *ins, int (*cb)(void *, void *, void *), time_t seconds)
{
    struct collector *c = &collectors[collector_count];
    *c = (struct collector) { .evl = &input_loop, .id = collector_count, .type = COLLECT_TIME, .running = 1,
        .fd_event = -1, .seconds = seconds, .cb = cb, .ins = ins };
    new_timer(c);
    return collector_count++;
}

static struct collector *get_collector(int id, void *ins)
{
    if (id < 0 || id >= collector_count || collectors[id].ins != ins || collectors[id].deleted) {
        return NULL;
    }
    if (!pthread_equal(pthread_self(), input_thread)) {
        say("fatal collector used off the input thread");
        exit(2);
    }
    return &collectors[id];
}

struct mk_event *flb_input_collector_get_event(int id, void *ins)
{
    struct collector *c = get_collector(id, ins);
    return c ? &c->event : NULL;
}

/* The input loop's timer event out of the loop, and its fd closed (monkey's epoll backend). */
int mk_event_timeout_destroy(void *evl, void *event)
{
    struct mk_event *e = event;
    if (evl != &input_loop || !pthread_equal(pthread_self(), input_thread)) {
        say("fatal mk_event_timeout_destroy of another loop or off the input thread");
        exit(2);
    }
    if (close(e->fd) != 0) {
        say("fatal timer fd %d closed but not open", e->fd);
        exit(2);
    }
    return 0;
}

/* A time collector's timer ended as Fluent Bit does it: fd_timer -1, mk_event_timeout_destroy
 * closes the fd, and before 4.0.6 the saved number is closed again. */
static void timer_end(struct collector *c)
{
    int fd = c->fd_timer;
    c->fd_timer = -1;
    mk_event_timeout_destroy(c->evl, &c->event);
    if (!version_at_least("4.0.6")) {
        timer_second_closes++;
        say("timer collector %d: fd %d closed a second time, as Fluent Bit before 4.0.6 does", c->id, fd);
    }
}

int flb_input_collector_pause(int id, void *ins)
{
    struct collector *c = get_collector(id, ins);
    if (!c) {
        return -1;
    }
    if (!c->running) {
        return 0;
    }
    if (c->type == COLLECT_TIME) {
        timer_end(c);
    }
    c->running = 0;
    return 0;
}

int flb_input_collector_resume(int id, void *ins)
{
    struct collector *c = get_collector(id, ins);
    if (!c || c->running) {
        return -1;
    }
    if (c->type == COLLECT_TIME) {
        new_timer(c);
    }
    c->running = 1;
    return 0;
}

int flb_input_collector_delete(int id, void *ins)
{
    struct collector *c = get_collector(id, ins);
    if (!c) {
        return -1;
    }
    if (c->type == COLLECT_FD_EVENT && fcntl(c->fd_event, F_GETFD) == -1) {
        say("fatal collector deleted after its fd was closed");
        exit(2);
    }
    flb_input_collector_pause(id, ins);
    c->deleted = 1;
    return 0;
}

/* flb_input_instance_destroy's end of each collector left (flb_input_collector_destroy). */
static void collectors_destroy(void)
{
    for (int i = 0; i < collector_count; i++) {
        struct collector *c = &collectors[i];
        if (!c->deleted && c->type == COLLECT_TIME && c->fd_timer > 0) {
            timer_end(c);
        }
        c->deleted = 1;
    }
}

/* The proxy's pause and resume (flb_plugin_proxy.c): the plugin's callback, then its collector. */
static void proxy_pause(struct plugin *p, int timer_id, int pause)
{
    ((void (*)(void)) sym(p, pause ? "FLBPluginInputPause" : "FLBPluginInputResume", 1))();
    (pause ? flb_input_collector_pause : flb_input_collector_resume)(timer_id, &p->ins);
    timer_pauses += pause;
    timer_resumes += !pause;
}

/*
 * A threaded input's ring buffer, as Fluent Bit 2.2 to 5.1 has one: the instance points to a
 * struct flb_ring_buffer (from 4.0 a mutex comes before its ctx), whose ctx is a lwrb_t with its
 * magic words. Each append writes one pointer to it; an engine thread drains it when 5 % of it
 * is used, or else every 250 ms (src/flb_engine.c), and says how many events (a telemetry
 * context counts as one) it has moved into chunks, or at once when woken through the ring's
 * signal pipe. TESTHOST_NO_RING=1: an instance without one.
 */
struct fake_lwrb {
    uint32_t magic1;
    uint8_t *buff;
    size_t size;
    volatile size_t r, w;
    void *evt_fn;
    uint32_t magic2;
};
#define RING_ENTRIES 1024
static struct fake_lwrb ring;
/* struct flb_ring_buffer: ctx at 0 (before 4.0) or after a 40-byte mutex, then its other fields */
struct fake_rb_tail {
    void *ctx;
    void *event_loop;
    int flush_pending;
    void *signal_event;
    int signal_channels[2];
    uint64_t data_window;
    uint64_t data_size;
    void *data_buf;
};
static union { void *align; unsigned char bytes[40 + sizeof(struct fake_rb_tail)]; } ring_struct;
static int ring_signal[2] = { -1, -1 };
static int ring_unused;   /* TESTHOST_RING_UNUSED=1 */
static long ring_wakes;
static uint8_t ring_data[RING_ENTRIES * sizeof(void *) + 1];
static long ring_counts[RING_ENTRIES + 1];   /* events per entry not drained, oldest first */
static int ring_head, ring_len;
static long ring_drained;
static pthread_mutex_t ring_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_t engine_thread;
static volatile int engine_stop;
static volatile int ring_held;   /* the engine busy elsewhere: it does not drain the ring */

static void ring_open(struct instance *ins)
{
    if (env_int("TESTHOST_NO_RING", 0) == 1) {
        return;
    }
    ring_unused = env_int("TESTHOST_RING_UNUSED", 0) == 1;
    ring = (struct fake_lwrb) { 0xDEADBEEFu, ring_data, sizeof(ring_data), 0, 0, NULL, ~0xDEADBEEFu };
    if (pipe(ring_signal) != 0) {
        die("pipe");
    }
    struct fake_rb_tail tail = { &ring, &ring_signal, 0, NULL, { ring_signal[0], ring_signal[1] },
                                 RING_ENTRIES * sizeof(void *) / 20, sizeof(ring_data) - 1, ring_data };
    /* TESTHOST_RING_NO_SIGNAL=1: only ctx, as in a layout the shim does not know */
    memcpy(ring_struct.bytes + (version_at_least("4.0.0") ? 40 : 0), &tail,
           env_int("TESTHOST_RING_NO_SIGNAL", 0) == 1 ? sizeof(void *) : sizeof(tail));
    ins->rb = &ring_struct;
}

/* On the input thread: one entry, for an append of `events` events. TESTHOST_RING_UNUSED=1: the
 * ring is there but appends do not go through it (what the shim must not mistake for its ring). */
static void ring_write(long events)
{
    if (!ring.buff || ring_unused) {
        return;
    }
    pthread_mutex_lock(&ring_lock);
    if (ring_len == RING_ENTRIES) {
        say("fatal ring buffer full");
        exit(2);
    }
    ring_counts[(ring_head + ring_len++) % (RING_ENTRIES + 1)] = events;
    ring.w = (ring.w + sizeof(void *)) % ring.size;
    pthread_mutex_unlock(&ring_lock);
}

static void *engine_body(void *arg)
{
    (void) arg;
    long last = now_ms();
    while (!engine_stop) {
        int woken = 0;
        if (ring_signal[0] >= 0) {   /* the engine's loop: the ring's signal pipe, or its 5-ms tick here */
            struct pollfd fd = { ring_signal[0], POLLIN, 0 };
            char byte;
            if (poll(&fd, 1, 5) == 1 && read(ring_signal[0], &byte, 1) == 1) {
                woken = 1;
                ring_wakes++;
            }
        } else {
            usleep(5000);
        }
        pthread_mutex_lock(&ring_lock);
        if (!ring_held && ring_len > 0 && (woken || ring_len * 20 >= RING_ENTRIES || now_ms() - last >= 250)) {
            while (ring_len > 0) {
                ring_drained += ring_counts[ring_head];
                ring_head = (ring_head + 1) % (RING_ENTRIES + 1);
                ring_len--;
            }
            ring.r = ring.w;
            say("drained events=%ld", ring_drained);
            last = now_ms();
        }
        pthread_mutex_unlock(&ring_lock);
    }
    return NULL;
}

static size_t mp_end(const unsigned char *b, size_t size, size_t off);

int flb_input_log_append(void *ins, const char *tag, size_t tag_len, const void *buf, size_t size)
{
    (void) ins; (void) tag; (void) tag_len;
    if (!pthread_equal(pthread_self(), input_thread)) {
        say("fatal append off the input thread");
        exit(2);
    }
    long events = 0;
    for (size_t at = 0; at < size && (at = mp_end(buf, size, at)) != 0; events++) {
    }
    ring_write(events);
    fwrite(buf, 1, size, appended_out);
    appended_bytes += (long) size;
    appended_calls++;
    return 0;
}

/*
 * Metrics from an input, as Fluent Bit takes them: cmt_decode_msgpack_create reads one cmetrics
 * context (here: finds its end and keeps a copy), flb_input_metrics_append appends it (here: to
 * OUT_FILE.metrics, for the test to decode), cmt_destroy frees it. Only on the input thread.
 */
static FILE *metrics_out;
static long metrics_contexts, metrics_bytes;
struct fake_cmt { size_t size; unsigned char bytes[]; };

/* The offset just past the msgpack value at off, or 0 when it does not fit in size. */
static size_t mp_end(const unsigned char *b, size_t size, size_t off)
{
    if (off >= size) {
        return 0;
    }
    unsigned c = b[off++];
    size_t n = 0, items = 0;
    int len = 0;
    if (c <= 0x7f || c >= 0xe0 || c == 0xc0 || c == 0xc2 || c == 0xc3) {
        return off;
    }
    if (c >= 0xa0 && c <= 0xbf) {
        n = c & 0x1f;
    } else if (c >= 0x90 && c <= 0x9f) {
        items = c & 0x0f;
    } else if (c >= 0x80 && c <= 0x8f) {
        items = (size_t) (c & 0x0f) * 2;
    } else {
        switch (c) {
        case 0xcc: case 0xd0: n = 1; break;
        case 0xcd: case 0xd1: n = 2; break;
        case 0xce: case 0xd2: case 0xca: n = 4; break;
        case 0xcf: case 0xd3: case 0xcb: n = 8; break;
        case 0xd9: case 0xc4: len = 1; break;
        case 0xda: case 0xc5: len = 2; break;
        case 0xdb: case 0xc6: len = 4; break;
        case 0xd4: n = 2; break;    /* fixext 1 to 16: a type byte, then the data (Fluent Bit's event time) */
        case 0xd5: n = 3; break;
        case 0xd6: n = 5; break;
        case 0xd7: n = 9; break;
        case 0xd8: n = 17; break;
        case 0xdc: case 0xde: case 0xdd: case 0xdf: {
            int w = (c == 0xdc || c == 0xde) ? 2 : 4;
            if (off + (size_t) w > size) {
                return 0;
            }
            for (int i = 0; i < w; i++) {
                items = (items << 8) | b[off++];
            }
            if (c == 0xde || c == 0xdf) {
                items *= 2;
            }
            break;
        }
        default:
            return 0;   /* ext 8/16/32 and the rest: not in a cmetrics context or an event */
        }
    }
    for (int i = 0; i < len; i++) {
        if (off >= size) {
            return 0;
        }
        n = (n << 8) | b[off++];
    }
    off += n;
    for (size_t i = 0; i < items && off; i++) {
        off = mp_end(b, size, off);
    }
    return off <= size ? off : 0;
}

/* Keeps a copy of the msgpack map at *offset that starts with prefix (its header and first key). */
static int fake_decode(void **context, char *buf, size_t size, size_t *offset, const char *prefix, size_t len)
{
    size_t end = mp_end((const unsigned char *) buf, size, *offset);
    if (!end || end - *offset < len || memcmp(buf + *offset, prefix, len) != 0) {
        return 1;
    }
    struct fake_cmt *c = malloc(sizeof(*c) + end - *offset);
    c->size = end - *offset;
    memcpy(c->bytes, buf + *offset, c->size);
    *offset = end;
    *context = c;
    return 0;
}

int cmt_decode_msgpack_create(void **cmt, char *buf, size_t size, size_t *offset)
{
    static const char key[] = "\x82\xa4meta";
    return fake_decode(cmt, buf, size, offset, key, sizeof(key) - 1);
}

/* What both appends do: on the input thread only, the context's bytes to out, counted. */
static void append_context(const char *what, FILE *out, long *contexts, long *bytes, void *context)
{
    if (input_thread && !pthread_equal(pthread_self(), input_thread)) {
        say("fatal %s append off the input thread", what);
        exit(2);
    }
    struct fake_cmt *c = context;
    if (input_thread) {
        ring_write(1);
    }
    if (out) {
        fwrite(c->bytes, 1, c->size, out);
    }
    (*contexts)++;
    *bytes += (long) c->size;
}

int flb_input_metrics_append(void *ins, const char *tag, size_t tag_len, void *cmt)
{
    (void) ins; (void) tag; (void) tag_len;
    append_context("metrics", metrics_out, &metrics_contexts, &metrics_bytes, cmt);
    return 0;
}

void cmt_destroy(void *cmt)
{
    free(cmt);
}

/*
 * Traces from an input, the same way: ctr_decode_msgpack_create keeps a copy of one context
 * whose first key is "resourceSpans", flb_input_trace_append writes it to OUT_FILE.traces. From
 * 4.0.0 a successful append destroys the context itself, as Fluent Bit's does (the shim must
 * not destroy it again: AddressSanitizer reports the double free); before, the caller does.
 * Contexts still alive at the end are reported, so a leak shows too.
 */
static FILE *traces_out;
static long traces_contexts, traces_bytes, traces_alive;

int ctr_decode_msgpack_create(void **ctr, char *buf, size_t size, size_t *offset)
{
    static const char key[] = "\x81\xadresourceSpans";
    int rc = fake_decode(ctr, buf, size, offset, key, sizeof(key) - 1);
    traces_alive += rc == 0;
    return rc;
}

void ctr_destroy(void *ctr)
{
    traces_alive--;
    free(ctr);
}

int flb_input_trace_append(void *ins, const char *tag, size_t tag_len, void *ctr)
{
    (void) ins; (void) tag; (void) tag_len;
    append_context("traces", traces_out, &traces_contexts, &traces_bytes, ctr);
    if (version_at_least("4.0.0")) {
        ctr_destroy(ctr);
    }
    return 0;
}

void metrics_open(const char *out_file)
{
    char path[4096];
    snprintf(path, sizeof(path), "%s.metrics", out_file);
    metrics_out = fopen(path, "wb");
    snprintf(path, sizeof(path), "%s.traces", out_file);
    traces_out = fopen(path, "wb");
}

void metrics_close(void)
{
    if (metrics_out) {
        fclose(metrics_out);
        metrics_out = NULL;
    }
    if (traces_out) {
        fclose(traces_out);
        traces_out = NULL;
    }
    if (metrics_contexts) {
        say("metrics contexts=%ld bytes=%ld", metrics_contexts, metrics_bytes);
    }
    if (traces_contexts) {
        say("traces contexts=%ld bytes=%ld alive=%ld", traces_contexts, traces_bytes, traces_alive);
    }
}

/* Runs every ready collector once, waiting up to wait_ms. */
static void run_collectors(int wait_ms)
{
    struct pollfd fds[MAX_COLLECTORS];
    int ids[MAX_COLLECTORS], n = 0;
    for (int i = 0; i < collector_count; i++) {
        if (collectors[i].running && !collectors[i].deleted) {
            fds[n] = (struct pollfd) { collectors[i].event.fd, POLLIN, 0 };
            ids[n++] = i;
        }
    }
    if (n == 0) {
        usleep((useconds_t) wait_ms * 1000);
        return;
    }
    if (poll(fds, (nfds_t) n, wait_ms) > 0) {
        for (int k = 0; k < n; k++) {
            struct collector *c = &collectors[ids[k]];
            uint64_t ticks;
            if ((fds[k].revents & POLLIN) && c->running && !c->deleted
                    && (c->type != COLLECT_TIME || read(c->fd_timer, &ticks, sizeof(ticks)) == sizeof(ticks))) {
                c->cb(c->ins, NULL, NULL);
            }
        }
    }
}

struct input_run {
    struct plugin *p;
    long min_bytes, timeout_ms;
    int rc;
};

/* The proxy's collect (flb_proxy_input_cb_collect): whatever Java returns is appended as is. */
static struct plugin *collecting;
static long collected;

static int proxy_collect(void *ins, void *config, void *context)
{
    (void) ins; (void) config; (void) context;
    timer_collects++;
    void *data = NULL;
    size_t len = 0;
    ((int (*)(void *, void **, size_t *)) sym(collecting, "FLBPluginInputCallbackCtx", 1))(remote(collecting), &data, &len);
    if (len > 0) {
        fwrite(data, 1, len, appended_out);
        collected += (long) len;
    }
    ((int (*)(void *, void *)) sym(collecting, "FLBPluginInputCleanupCallbackCtx", 1))(remote(collecting), data);
    return 0;
}

static void *input_thread_body(void *arg)
{
    struct input_run *r = arg;
    struct plugin *p = r->p;
    pthread_setname_np(pthread_self(), "flb-in-test.0");
    if (init(p) != FLB_OK) {
        r->rc = 1;
        return NULL;
    }
    collecting = p;
    int timer_id = set_collector_time(&p->ins, proxy_collect, 1);   /* as the proxy does after the init */
    ((int (*)(int)) sym(p, "FLBPluginInputPreRun", 1))(0);
    long start = now_ms(), paused_appends = -1;
    int paused_once = 0;
    while (appended_bytes + collected + metrics_bytes < r->min_bytes && now_ms() - start < r->timeout_ms) {
        run_collectors(20);
        if (appended_bytes > 0 && !paused_once) {
            /* Backpressure, on the input thread as Fluent Bit does it: nothing may be appended. */
            paused_once = 1;
            proxy_pause(p, timer_id, 1);
            long before = appended_calls;
            for (int i = 0; i < 10; i++) {
                run_collectors(10);
            }
            paused_appends = appended_calls - before;
            proxy_pause(p, timer_id, 0);
        }
    }
    say("appended bytes=%ld calls=%ld collected_bytes=%ld appends_while_paused=%ld", appended_bytes, appended_calls,
        collected, paused_appends);
    if (env_int("TESTHOST_STOP_PAUSE", 0) == 1) {
        /* A stop as Fluent Bit does it: the engine flushes the chunks it has, pauses every input
         * (on the input's thread) and goes on draining the rings into chunks; before 4.0.3 it may
         * free those unflushed. Appends made while the engine is busy wait in the ring. */
        ring_held = 1;
        for (int i = 0; i < 10; i++) {
            run_collectors(20);
        }
        proxy_pause(p, timer_id, 1);
        say("stop pause");
        ring_held = 0;
        usleep(400 * 1000);
    }
    ((void (*)(int)) sym(p, "FLBPluginInputPreExit", 1))(0);
    say("exit rc=%d", ((int (*)(void)) sym(p, "FLBPluginExit", 1))());
    int running_at_exit = collectors[timer_id].running;
    collectors_destroy();
    say("timer collector pauses=%ld resumes=%ld collects=%ld second_closes=%ld running_after_exit=%d", timer_pauses,
        timer_resumes, timer_collects, timer_second_closes, running_at_exit);
    return NULL;
}

int cmd_input_events(char **argv, int argc)
{
    if (argc < 4) {
        die("usage: input-events SO OUT_FILE MIN_BYTES TIMEOUT_MS [key=value ...]");
    }
    struct plugin p;
    load(&p, argv[0], argv + 4, argc - 4);
    appended_out = fopen(argv[1], "wb");
    metrics_open(argv[1]);
    struct input_run r = { &p, atol(argv[2]), atol(argv[3]), 0 };
    ring_open(&p.ins);
    pthread_create(&engine_thread, NULL, engine_body, NULL);
    pthread_create(&input_thread, NULL, input_thread_body, &r);
    pthread_join(input_thread, NULL);
    engine_stop = 1;
    pthread_join(engine_thread, NULL);
    if (ring_signal[0] >= 0) {
        say("ring wakes=%ld", ring_wakes);
    }
    fclose(appended_out);
    metrics_close();
    p.exit_ctx = NULL;
    print_metrics();
    unload(&p);
    say("done");
    return r.rc;
}
