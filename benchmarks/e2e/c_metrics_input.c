/*
 * A C proxy input for the metrics comparison, the shape of the probe in issue 20: on a collector
 * of its own (an eventfd, flb_input_set_collector_event, as flb4j's shim uses), each callback
 * builds a cmetrics context of 100 samples (5 counters and 5 gauges of 10 series each, one label:
 * the same set as stress_in's metrics mode) with cmt_create / cmt_counter_create / cmt_counter_set
 * / cmt_gauge_*, appends it with flb_input_metrics_append and destroys it. A thread of its own
 * wakes the collector RATE times a second (-DRATE=…), once the last context is appended (as
 * flb4j's hand-off thread waits for each batch), except while Fluent Bit has the input paused.
 * Unpaced (-DRATE=0) it outruns Fluent Bit: 5.1.1 makes a chunk per metrics append, and with
 * thousands of chunks its pipeline thread and the input's ring buffer stall (SIGTERM then hangs). Every function comes from
 * the fluent-bit executable (dlsym). At exit it logs how many contexts it appended.
 * Build: cc -O2 -shared -fPIC -I ../../native/src/main/c c_metrics_input.c -o c_metrics_input.so -ldl -lpthread
 */
#ifndef RATE
#define RATE 1000   /* contexts per second the waker aims at; 0: as soon as the last is appended */
#endif
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include "flb4j_abi.h"   /* native/src/main/c, given with -I */

typedef void *(*cmt_create_fn)(void);
typedef void *(*family_create_fn)(void *cmt, char *ns, char *ss, char *name, char *help, int n, char **keys);
typedef int (*set_fn)(void *family, uint64_t ts, double val, int n, char **values);
typedef void (*destroy_fn)(void *cmt);
typedef int (*append_fn)(void *ins, const char *tag, size_t tag_len, void *cmt);
typedef int (*collector_event_fn)(void *ins, int (*cb)(void *, void *, void *), int fd, void *config);

static cmt_create_fn cmt_create;
static family_create_fn counter_create, gauge_create;
static set_fn counter_set, gauge_set;
static destroy_fn cmt_destroy;
static append_fn metrics_append;
static collector_event_fn set_collector_event;
static int g_efd = -1;
static volatile int g_stop, g_paused;
static uint64_t g_contexts;
static pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t g_done = PTHREAD_COND_INITIALIZER;
static int g_pending;   /* a wake-up written and not yet handled */

static uint64_t now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_REALTIME, &t);
    return (uint64_t) t.tv_sec * 1000000000u + (uint64_t) t.tv_nsec;
}

/* Wakes the collector (RATE times a second), waits until it handled that wake-up, until exit. */
static void *waker(void *arg)
{
    (void) arg;
    uint64_t next = now_ns();
    while (!g_stop) {
        if (RATE > 0) {
            next += 1000000000u / RATE;
            uint64_t t = now_ns();
            if (next > t) {
                usleep((useconds_t) ((next - t) / 1000));
            }
        }
        if (g_paused) {
            usleep(1000);
            continue;
        }
        pthread_mutex_lock(&g_lock);
        g_pending = 1;
        uint64_t one = 1;
        if (write(g_efd, &one, sizeof(one)) < 0) {
            g_pending = 0;
        }
        while (g_pending && !g_stop) {
            struct timespec t;
            clock_gettime(CLOCK_REALTIME, &t);
            t.tv_nsec += 100 * 1000 * 1000;
            if (t.tv_nsec >= 1000000000) {
                t.tv_sec++;
                t.tv_nsec -= 1000000000;
            }
            pthread_cond_timedwait(&g_done, &g_lock, &t);
        }
        pthread_mutex_unlock(&g_lock);
    }
    return NULL;
}


static int on_ready(void *ins, void *config, void *context)
{
    (void) config;
    (void) context;
    uint64_t count;
    if (read(g_efd, &count, sizeof(count)) < 0) {
        return 0;
    }
    void *cmt = cmt_create();
    char *keys[] = { "series" };
    static char *series[] = { "s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9" };
    uint64_t ts = now_ns();
    for (int family = 0; family < 5; family++) {
        char cname[64], gname[64];
        snprintf(cname, sizeof(cname), "requests_%d_total", family);
        snprintf(gname, sizeof(gname), "queue_%d_depth", family);
        void *c = counter_create(cmt, "stress", "", cname, "Requests", 1, keys);
        void *g = gauge_create(cmt, "stress", "", gname, "Queued", 1, keys);
        for (int s = 0; s < 10; s++) {
            counter_set(c, ts, (double) (g_contexts + (uint64_t) s), 1, &series[s]);
            gauge_set(g, ts, s * 0.5, 1, &series[s]);
        }
    }
    if (metrics_append(ins, NULL, 0, cmt) == 0) {
        __atomic_add_fetch(&g_contexts, 1, __ATOMIC_RELAXED);
    }
    cmt_destroy(cmt);
    pthread_mutex_lock(&g_lock);
    g_pending = 0;
    pthread_cond_signal(&g_done);
    pthread_mutex_unlock(&g_lock);
    return 0;
}

void FLBPluginInputPause(void)
{
    g_paused = 1;
}

void FLBPluginInputResume(void)
{
    g_paused = 0;
}

int FLBPluginRegister(struct flb_plugin_proxy_def *def)
{
    def->type = FLB_PROXY_INPUT_PLUGIN;
    def->proxy = FLB_PROXY_GOLANG;
    def->flags = 0;
    def->name = "c_metrics_in";
    def->description = "C metrics input (benchmark)";
    return 0;
}

int FLBPluginInit(void *plugin)
{
    struct flbgo_plugin *p = plugin;
    cmt_create = (cmt_create_fn) dlsym(RTLD_DEFAULT, "cmt_create");
    counter_create = (family_create_fn) dlsym(RTLD_DEFAULT, "cmt_counter_create");
    gauge_create = (family_create_fn) dlsym(RTLD_DEFAULT, "cmt_gauge_create");
    counter_set = (set_fn) dlsym(RTLD_DEFAULT, "cmt_counter_set");
    gauge_set = (set_fn) dlsym(RTLD_DEFAULT, "cmt_gauge_set");
    cmt_destroy = (destroy_fn) dlsym(RTLD_DEFAULT, "cmt_destroy");
    metrics_append = (append_fn) dlsym(RTLD_DEFAULT, "flb_input_metrics_append");
    set_collector_event = (collector_event_fn) dlsym(RTLD_DEFAULT, "flb_input_set_collector_event");
    if (!cmt_create || !counter_create || !gauge_create || !counter_set || !gauge_set || !cmt_destroy
        || !metrics_append || !set_collector_event) {
        fprintf(stderr, "[c_metrics_in] missing a cmetrics or input function\n");
        return FLB_ERROR;
    }
    g_efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (g_efd < 0 || set_collector_event(p->instance, on_ready, g_efd, NULL) < 0) {
        fprintf(stderr, "[c_metrics_in] no collector\n");
        return FLB_ERROR;
    }
    pthread_t t;
    return pthread_create(&t, NULL, waker, NULL) == 0 ? FLB_OK : FLB_ERROR;
}

int FLBPluginInputCallback(void **data, size_t *len)
{
    *data = NULL;
    *len = 0;
    return FLB_OK;
}

int FLBPluginInputCallbackCtx(void *ctx, void **data, size_t *len)
{
    (void) ctx;
    return FLBPluginInputCallback(data, len);
}

int FLBPluginExit(void)
{
    g_stop = 1;
    pthread_cond_signal(&g_done);
    fprintf(stderr, "[c_metrics_in] appended %llu metric contexts of 100 samples\n", (unsigned long long) g_contexts);
    return FLB_OK;
}
