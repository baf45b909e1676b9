/*
 * What plugin code may ask of Fluent Bit, in C types: one function per io.flb4j.host.HostApi
 * method. The JVM engine's natives convert Java values to these; the GraalVM engine hands the
 * isolate their addresses. cmetrics functions come from the fluent-bit executable, each looked
 * up once.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>

#include "shim.h"

#define INS(j) ((void *) (intptr_t) (j))

/* A function of the fluent-bit executable, looked up once: its symbols never change. */
struct symbol {
    const char *name;
    void *address;
};

static void *resolve(struct symbol *s)
{
    void *f = __atomic_load_n(&s->address, __ATOMIC_ACQUIRE);
    if (!f) {
        f = dlsym(RTLD_DEFAULT, s->name);
        __atomic_store_n(&s->address, f, __ATOMIC_RELEASE);
    }
    return f;
}

static struct symbol counter_create = { "cmt_counter_create", NULL };
static struct symbol gauge_create = { "cmt_gauge_create", NULL };
static struct symbol counter_add = { "cmt_counter_add", NULL };
static struct symbol gauge_set = { "cmt_gauge_set", NULL };
static struct symbol gauge_add = { "cmt_gauge_add", NULL };
static struct symbol time_now = { "cfl_time_now", NULL };

typedef void *(*metric_create_fn)(void *, char *, char *, char *, char *, int, char **);
typedef int (*metric_update_fn)(void *, uint64_t, double, int, char **);
typedef uint64_t (*time_now_fn)(void);

const char *hostcall_property(long ins, const char *key)
{
    return g_host.get_property && ins && key ? g_host.get_property((char *) key, INS(ins)) : NULL;
}

const char *hostcall_instance_name(long ins)
{
    return g_host.instance_name && ins ? g_host.instance_name(INS(ins)) : NULL;
}

int hostcall_log_enabled(long ins, int level)
{
    return g_host.log_check && ins ? g_host.log_check(INS(ins), level) != 0 : 1;
}

void hostcall_log(long ins, int level, const char *message)
{
    (void) ins;
    if (!message) {
        return;
    }
    if (g_host.log_print) {
        g_host.log_print(level, "flb4j", 0, "%s", message);
    }
    else {
        fprintf(stderr, "%s\n", message);
    }
}

static long metric_create(struct symbol *fn, long ins, char **names, int key_count, char **keys)
{
    metric_create_fn create = (metric_create_fn) resolve(fn);
    void *cmt = g_host.get_cmt && ins ? g_host.get_cmt(INS(ins)) : NULL;
    if (!create || !cmt || !names) {
        return 0;
    }
    return (long) (intptr_t) create(cmt, names[0], names[1], names[2], names[3], key_count,
                                    key_count ? keys : NULL);
}

long hostcall_counter_create(long ins, char **names, int key_count, char **keys)
{
    return metric_create(&counter_create, ins, names, key_count, keys);
}

long hostcall_gauge_create(long ins, char **names, int key_count, char **keys)
{
    return metric_create(&gauge_create, ins, names, key_count, keys);
}

static void metric_update(struct symbol *fn, long metric, double value, int label_count, char **labels)
{
    metric_update_fn update = (metric_update_fn) resolve(fn);
    time_now_fn now = (time_now_fn) resolve(&time_now);
    if (update && now && metric) {
        update(INS(metric), now(), value, label_count, label_count ? labels : NULL);
    }
}

void hostcall_counter_add(long metric, double value, int label_count, char **labels)
{
    metric_update(&counter_add, metric, value, label_count, labels);
}

void hostcall_gauge_set(long metric, double value, int label_count, char **labels)
{
    metric_update(&gauge_set, metric, value, label_count, labels);
}

void hostcall_gauge_add(long metric, double value, int label_count, char **labels)
{
    metric_update(&gauge_add, metric, value, label_count, labels);
}

/* Runs on a plugin thread (never Fluent Bit's): waits until Fluent Bit appended the batch. */
int hostcall_submit(long ins, const void *data, long length)
{
#if FLB4J_PLUGIN_TYPE == FLB_PROXY_INPUT_PLUGIN
    return data && length >= 0 ? input_submit(INS(ins), data, (size_t) length) : INPUT_REFUSED;
#else
    (void) ins;
    (void) data;
    (void) length;
    return INPUT_NO_PATH;
#endif
}

long hostcall_in_chunks(long ins)
{
#if FLB4J_PLUGIN_TYPE == FLB_PROXY_INPUT_PLUGIN
    return input_in_chunks(INS(ins));
#else
    (void) ins;
    return -1;
#endif
}

void hostcall_flush_done(long token, int result)
{
    flush_answer((struct completion *) (intptr_t) token, result);
}
