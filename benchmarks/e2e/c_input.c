/*
 * A C proxy input for the end-to-end comparison: the same 5-field record as stress_in's busy
 * mode, produced as fast as possible by a thread and handed to Fluent Bit through the same
 * event-driven path flb4j uses (an eventfd collector, flb_input_log_append on the input thread),
 * in batches of up to 4 MB. Build: cc -O2 -shared -fPIC -I ../../native/src/main/c c_input.c -o c_input.so -lpthread
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include "flb4j_abi.h"   /* native/src/main/c, given with -I */

#define BATCH (4 * 1024 * 1024)

static int (*set_event)(void *, int (*)(void *, void *, void *), int, void *);
static int (*append)(void *, const char *, size_t, const void *, size_t);
static int (*remove_collector)(int, void *);
static int (*pause_collector)(int, void *);
static int (*resume_collector)(int, void *);

static void *g_ins;
static int g_efd, g_coll = -1;
static pthread_t g_producer;
static volatile int g_stop;
static pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t g_cond = PTHREAD_COND_INITIALIZER;
static char *g_ready;          /* a full batch waiting for the input thread */
static size_t g_ready_len;

static size_t put_str(char *p, const char *s)
{
    size_t n = strlen(s);
    p[0] = (char) (0xa0 | n);
    memcpy(p + 1, s, n);
    return n + 1;
}

/* [[EventTime, {}], {"seq": n, "source": ..., "level": "info", "message": ..., "bytes": 145}] */
static size_t encode(char *p, uint64_t seq)
{
    struct timespec t;
    clock_gettime(CLOCK_REALTIME, &t);
    char *s = p;
    *p++ = (char) 0x92; *p++ = (char) 0x92;
    *p++ = (char) 0xd7; *p++ = 0;
    uint32_t sec = htobe32((uint32_t) t.tv_sec), ns = htobe32((uint32_t) t.tv_nsec);
    memcpy(p, &sec, 4); memcpy(p + 4, &ns, 4); p += 8;
    *p++ = (char) 0x80;
    *p++ = (char) 0x85;
    p += put_str(p, "seq"); *p++ = (char) 0xcf; uint64_t be = htobe64(seq); memcpy(p, &be, 8); p += 8;
    p += put_str(p, "source"); p += put_str(p, "c_input.0");
    p += put_str(p, "level"); p += put_str(p, "info");
    p += put_str(p, "message"); p += put_str(p, "stress event");
    p += put_str(p, "bytes"); *p++ = (char) 0xcc; *p++ = (char) 145;
    return (size_t) (p - s);
}

static void *produce(void *arg)
{
    (void) arg;
    uint64_t seq = 0;
    while (!g_stop) {
        char *batch = malloc(BATCH);
        size_t len = 0;
        while (len + 128 < BATCH) {
            len += encode(batch + len, ++seq);
        }
        pthread_mutex_lock(&g_lock);
        while (g_ready && !g_stop) {
            pthread_cond_wait(&g_cond, &g_lock);
        }
        g_ready = batch;
        g_ready_len = len;
        pthread_mutex_unlock(&g_lock);
        uint64_t one = 1;
        if (write(g_efd, &one, 8) < 0) {
            break;
        }
    }
    return NULL;
}

static int on_ready(void *ins, void *config, void *context)
{
    (void) config; (void) context;
    uint64_t n;
    if (read(g_efd, &n, 8) < 0) {
        return 0;
    }
    pthread_mutex_lock(&g_lock);
    char *batch = g_ready;
    size_t len = g_ready_len;
    g_ready = NULL;
    pthread_cond_signal(&g_cond);
    pthread_mutex_unlock(&g_lock);
    if (batch) {
        append(ins, NULL, 0, batch, len);
        free(batch);
    }
    return 0;
}

int FLBPluginRegister(struct flb_plugin_proxy_def *def)
{
    def->type = FLB_PROXY_INPUT_PLUGIN;
    def->proxy = FLB_PROXY_GOLANG;
    def->flags = 0;
    def->name = "c_input";
    def->description = "C baseline input";
    return 0;
}

int FLBPluginInit(void *plugin)
{
    struct flbgo_plugin *p = plugin;
    g_ins = p->instance;
    set_event = dlsym(RTLD_DEFAULT, "flb_input_set_collector_event");
    append = dlsym(RTLD_DEFAULT, "flb_input_log_append");
    remove_collector = dlsym(RTLD_DEFAULT, "flb_input_collector_delete");
    pause_collector = dlsym(RTLD_DEFAULT, "flb_input_collector_pause");
    resume_collector = dlsym(RTLD_DEFAULT, "flb_input_collector_resume");
    g_efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    g_coll = set_event(g_ins, on_ready, g_efd, NULL);
    pthread_create(&g_producer, NULL, produce, NULL);
    return g_coll >= 0 ? FLB_OK : FLB_ERROR;
}

int FLBPluginInputCallback(void **data, size_t *len)
{
    *data = NULL;
    *len = 0;
    return FLB_OK;
}

/* Backpressure (Mem_Buf_Limit): Fluent Bit pauses only its own timer collector; pause ours too. */
void FLBPluginInputPause(void)
{
    pause_collector(g_coll, g_ins);
}

void FLBPluginInputResume(void)
{
    resume_collector(g_coll, g_ins);
}

int FLBPluginExit(void)
{
    pthread_mutex_lock(&g_lock);
    g_stop = 1;
    pthread_cond_broadcast(&g_cond);
    pthread_mutex_unlock(&g_lock);
    pthread_join(g_producer, NULL);
    remove_collector(g_coll, g_ins);
    close(g_efd);
    return FLB_OK;
}
