/*
 * The GraalVM engine: the plugin's native image (a shared library native-image built, embedded
 * as the bundle) is loaded from sealed memory with RTLD_LOCAL, so none of its symbols is
 * visible to Fluent Bit. One isolate per plugin per process, created at the first Init and kept
 * across hot reloads, like the JVM. Each worker thread attaches itself once and then calls the
 * entry points the annotation processor generated (<Plugin>_Flb4jGraalEntryPoints).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <stdlib.h>

#include "shim.h"

/* The image's C API (graal_isolate.h), declared here: nothing of GraalVM is needed to compile. */
typedef struct flb4j_isolate isolate_t;
typedef struct flb4j_isolate_thread thread_t;

static struct {
    int (*create_isolate)(void *params, isolate_t **isolate, thread_t **thread);
    int (*attach_thread)(isolate_t *isolate, thread_t **thread);
    thread_t *(*current_thread)(isolate_t *isolate);
    int (*start)(thread_t *, void **host);
    long (*init)(thread_t *, long instance);
    int (*pre_run)(thread_t *, int hot_reload);
    int (*flush)(thread_t *, long handle, const void *data, long size, const char *tag, long token);
    int (*collect)(thread_t *, long handle, void **out_data, long *out_length);
    void (*handed_off)(thread_t *, long handle);
    void (*pause)(thread_t *);
    void (*resume)(thread_t *);
    void (*pre_exit)(thread_t *, int by_hot_reload);
    int (*exit)(thread_t *, long handle);
    int (*exit_all)(thread_t *);
    void (*unregister)(thread_t *);
} img;

/* The symbols, in img's order: graal_* from GraalVM, flb4j_graal_* from the generated class. */
static const char *const symbols[] = {
    "graal_create_isolate", "graal_attach_thread", "graal_get_current_thread",
    "flb4j_graal_start", "flb4j_graal_init", "flb4j_graal_pre_run", "flb4j_graal_flush",
    "flb4j_graal_collect", "flb4j_graal_handed_off", "flb4j_graal_pause", "flb4j_graal_resume",
    "flb4j_graal_pre_exit", "flb4j_graal_exit", "flb4j_graal_exit_all", "flb4j_graal_unregister",
};

/* The host functions the isolate calls, in the order io.flb4j.engine.graal.GraalHost reads them. */
static void *host_table[] = {
    (void *) hostcall_property, (void *) hostcall_instance_name, (void *) hostcall_log_enabled,
    (void *) hostcall_log, (void *) hostcall_counter_create, (void *) hostcall_gauge_create,
    (void *) hostcall_counter_add, (void *) hostcall_gauge_set, (void *) hostcall_gauge_add,
    (void *) hostcall_submit, (void *) hostcall_flush_done, (void *) hostcall_in_chunks,
};

static pthread_mutex_t start_lock = PTHREAD_MUTEX_INITIALIZER;
static isolate_t *g_isolate;
static int g_generation;

static int load_image(void)
{
    const char *path = bundle_path();
    void *h = path ? dlopen(path, RTLD_NOW | RTLD_LOCAL) : NULL;
    if (!h) {
        log_error("cannot load the plugin's native image: %s", path ? dlerror() : "no bundle");
        return -1;
    }
    void **slots = (void **) &img;
    for (size_t i = 0; i < sizeof(symbols) / sizeof(symbols[0]); i++) {
        slots[i] = dlsym(h, symbols[i]);
        if (!slots[i]) {
            log_error("the plugin's native image has no %s; was it built by flb4j with the GraalVM engine?",
                      symbols[i]);
            return -1;
        }
    }
    return 0;
}

int engine_start(void)
{
    pthread_mutex_lock(&start_lock);
    int rc = 0;
    if (!g_isolate) {
        thread_t *thread = NULL;
        rc = load_image();
        if (rc == 0 && img.create_isolate(NULL, &g_isolate, &thread) != 0) {
            log_error("the GraalVM isolate did not start");
            g_isolate = NULL;
            rc = -1;
        }
    }
    pthread_mutex_unlock(&start_lock);
    return rc;
}

int engine_active(void)
{
    return g_generation;
}

static thread_t *attach(void)
{
    thread_t *t = img.current_thread(g_isolate);
    if (!t && img.attach_thread(g_isolate, &t) != 0) {
        return NULL;
    }
    return t;
}

/* The generated collect entry copies the batch into malloc'd memory. */
void engine_collected_release(void *data)
{
    free(data);
}

void engine_call(struct call *c)
{
    if (!g_isolate) {
        return;
    }
    thread_t *t = attach();
    if (!t) {
        log_error("could not attach a thread to the GraalVM isolate");
        return;
    }
    if (!g_generation) {
        if (c->op != OP_INIT || img.start(t, host_table) != 0) {
            return;
        }
        g_generation = 1;
    }
    switch (c->op) {
    case OP_INIT:
        c->result = img.init(t, c->arg);
        break;
    case OP_PRE_RUN:
        c->result = img.pre_run(t, (int) c->arg);
        break;
    case OP_FLUSH:
        c->result = img.flush(t, c->handle, c->data, (long) c->size, c->tag, c->arg);
        break;
    case OP_COLLECT: {
        long length = 0;
        c->result = img.collect(t, c->handle, c->out_data, &length);
        *c->out_len = *c->out_data && length > 0 ? (size_t) length : 0;
        break;
    }
    case OP_HANDED_OFF:
        img.handed_off(t, c->handle);
        break;
    case OP_PAUSE:
        img.pause(t);
        break;
    case OP_RESUME:
        img.resume(t);
        break;
    case OP_PRE_EXIT:
        img.pre_exit(t, (int) c->arg);
        break;
    case OP_EXIT:
        c->result = img.exit(t, c->handle);
        break;
    case OP_EXIT_ALL:
        c->result = img.exit_all(t);
        break;
    case OP_UNREGISTER:
        img.unregister(t);
        g_generation = 0;
        break;
    }
}
