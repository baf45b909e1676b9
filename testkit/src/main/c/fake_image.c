/*
 * A stand-in for a GraalVM native image, for tests on machines without GraalVM: it exports the
 * C API the shim's GraalVM engine loads (graal_create_isolate, graal_attach_thread,
 * graal_get_current_thread) and the twelve flb4j_graal_* entry points, written in C. Each entry
 * point checks that it runs on an attached thread and answers through the host table the shim
 * passed at start, so a test of a .so built around it checks the shim's side of the engine:
 * the bundle loaded from sealed memory, one isolate, threads attached, every call dispatched,
 * host calls reached. It is never a part of a plugin.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct isolate { int created; };
struct thread { int attached; };

static struct isolate the_isolate;
static __thread struct thread this_thread;
static int isolates_created, threads_attached, starts;
static void **host;
static long flushes, flushed_bytes, counter;

typedef const char *(*property_fn)(long, const char *);
typedef const char *(*name_fn)(long);
typedef void (*log_fn)(long, int, const char *);
typedef long (*create_fn)(long, char **, int, char **);
typedef void (*update_fn)(long, double, int, char **);
typedef void (*done_fn)(long, int);

static void say(long ins, const char *fmt, long a, const char *s)
{
    char line[512];
    snprintf(line, sizeof(line), fmt, a, s ? s : "(null)");
    ((log_fn) host[3])(ins, 3, line);
}

#ifdef FAKE_MISSING_SYMBOL
/*
 * An image from an incomplete GraalVM: a JDK native method no static library provided. Referenced,
 * never called, as native-image leaves one (the package step must refuse the image).
 */
extern int Java_jdk_net_LinuxSocketOptions_keepAliveOptionsSupported0(void *env, void *cls);
int (*volatile fake_keep_alive)(void *, void *) = Java_jdk_net_LinuxSocketOptions_keepAliveOptionsSupported0;
#endif

int graal_create_isolate(void *params, struct isolate **isolate, struct thread **thread)
{
    (void) params;
    isolates_created++;
    the_isolate.created = isolates_created;
    this_thread.attached = 1;
    threads_attached++;
    *isolate = &the_isolate;
    *thread = &this_thread;
    return 0;
}

int graal_attach_thread(struct isolate *isolate, struct thread **thread)
{
    if (isolate != &the_isolate) {
        return 1;
    }
    this_thread.attached = 1;
    threads_attached++;
    *thread = &this_thread;
    return 0;
}

struct thread *graal_get_current_thread(struct isolate *isolate)
{
    return isolate == &the_isolate && this_thread.attached ? &this_thread : NULL;
}

static int on_attached_thread(struct thread *t)
{
    if (t != &this_thread || !this_thread.attached) {
        fprintf(stderr, "fake image: called on a thread that is not attached\n");
        abort();
    }
    return 1;
}

int flb4j_graal_start(struct thread *t, void **table)
{
    on_attached_thread(t);
    host = table;
    starts++;
    return 0;
}

long flb4j_graal_init(struct thread *t, long instance)
{
    on_attached_thread(t);
    const char *greeting = ((property_fn) host[0])(instance, "greeting");
    if (greeting && strcmp(greeting, "fail") == 0) {
        say(instance, "fake image: init refused (%ld) %s", 0, greeting);
        return 0;
    }
    say(instance, "fake image: start %ld, greeting %s", starts, greeting);
    say(instance, "fake image: isolates %ld, instance %s", isolates_created, ((name_fn) host[1])(instance));
    char *names[] = { "fluentbit", "fake", "flushes_total", "flushes seen by the fake image" };
    char *keys[] = { "name" };
    counter = ((create_fn) host[4])(instance, names, 1, keys);
    return instance;
}

int flb4j_graal_pre_run(struct thread *t, int hot_reload)
{
    on_attached_thread(t);
    (void) hot_reload;
    return 0;
}

/* The answer from another thread, later, through the host table: how a real image answers. */
static void *answer_later(void *token)
{
    usleep(20 * 1000);
    ((done_fn) host[10])((long) token, 1);
    return NULL;
}

/* Answers now (2 for the tag "retry"), or every other flush later (FLUSH_PENDING, -1). */
int flb4j_graal_flush(struct thread *t, long handle, const void *data, long size, const char *tag, long token)
{
    on_attached_thread(t);
    (void) data;
    long n = __atomic_add_fetch(&flushes, 1, __ATOMIC_SEQ_CST);
    __atomic_add_fetch(&flushed_bytes, size, __ATOMIC_SEQ_CST);
    if (counter) {
        char *labels[] = { (char *) ((name_fn) host[1])(handle) };
        ((update_fn) host[6])(counter, 1, 1, labels);
    }
    if (tag && strcmp(tag, "retry") == 0) {
        return 2;
    }
    pthread_t later;
    if (n % 2 == 0 && pthread_create(&later, NULL, answer_later, (void *) token) == 0) {
        pthread_detach(later);
        return -1;
    }
    return 1;
}

int flb4j_graal_collect(struct thread *t, long handle, void **out_data, long *out_length)
{
    on_attached_thread(t);
    (void) handle;
    /* [[0, {}], {"fake": 1}] as msgpack: one event in Fluent Bit's format */
    static const unsigned char event[] = { 0x92, 0x92, 0x00, 0x80, 0x81, 0xa4, 'f', 'a', 'k', 'e', 0x01 };
    *out_data = malloc(sizeof(event));
    memcpy(*out_data, event, sizeof(event));
    *out_length = (long) sizeof(event);
    return 1;
}

void flb4j_graal_handed_off(struct thread *t, long handle) { on_attached_thread(t); (void) handle; }
void flb4j_graal_pause(struct thread *t) { on_attached_thread(t); }
void flb4j_graal_resume(struct thread *t) { on_attached_thread(t); }
void flb4j_graal_pre_exit(struct thread *t, int by_hot_reload) { on_attached_thread(t); (void) by_hot_reload; }

int flb4j_graal_exit(struct thread *t, long handle)
{
    on_attached_thread(t);
    say(handle, "fake image: exit after %ld flushes, %s", flushes, "all answered");
    return 1;
}

int flb4j_graal_exit_all(struct thread *t)
{
    on_attached_thread(t);
    return 1;
}

void flb4j_graal_unregister(struct thread *t)
{
    on_attached_thread(t);
    say(0, "fake image: unregister, %ld threads attached so far%s", threads_attached, "");
    host = NULL;
}
