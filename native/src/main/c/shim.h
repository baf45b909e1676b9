/*
 * The shim's private header: what its files share, whichever engine runs the plugin. Nothing
 * here is exported from the .so.
 *
 * Both engines:
 *   shim.c      the FLBPlugin* exports (the only symbols the .so exports)
 *   dispatch.c  worker threads and the hand-off of every call
 *   host.c      Fluent Bit's host API for this plugin's kind, chosen once; feature probes
 *   hostcalls.c what plugin code may ask of Fluent Bit (properties, log, cmetrics, submit), in C
 *   bundle.c    the embedded bundle (the jar, or the native image) in sealed memory
 *   input.c     the event-driven input path (an eventfd collector of the shim's own)
 *   flush.c     the output flush: the coroutine yields on the thread's event loop until Java answers
 *   workers.c   the output worker threads Fluent Bit starts twice and forgets, stopped at the exit
 * The JVM engine (jvm.h):
 *   jvm.c       finding, starting or joining the JVM
 *   generation.c one plugin generation: class loader, method IDs, the call switch
 *   natives.c   the JNI natives of io.flb4j.engine.jvm.JniHostApi over hostcalls.c
 *   signals.c   keeping the JVM's fault handlers in place when Fluent Bit reinstalls its own
 *   leaks.c     generations whose class loader was not collected, reported by name
 *   trim.c      the JDK's file pages mapped at start given back to the system
 * The GraalVM engine:
 *   graal.c     the native image loaded from the bundle, its isolate, the entry-point calls
 */
#ifndef FLB4J_SHIM_H
#define FLB4J_SHIM_H

#include <stddef.h>
#include <stdint.h>

#include "flb4j_abi.h"
#include "flb4j_plugin.h"

#define EXPORT __attribute__((visibility("default")))

/* ---- host.c: the host API of this plugin's kind ------------------------------------- */

/* The four host functions a plugin of this kind uses, copied from Fluent Bit's api table at
 * Init: the table's length differs between releases, so no other field is ever read. */
struct host_fns {
    char *(*get_property)(char *key, void *ins);
    void *(*get_cmt)(void *ins);
    void (*log_print)(int level, const char *file, int line, const char *fmt, ...);
    int (*log_check)(void *ins, int level);
    const char *(*instance_name)(void *ins);
};

extern struct host_fns g_host;

void host_bind(const struct flb_api *api);
void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Milliseconds of CLOCK_MONOTONIC, for intervals. */
long monotonic_ms(void);
/* 0 when the running Fluent Bit has what this plugin needs; otherwise logs why and returns -1. */
int host_check_features(struct flb_plugin_proxy_def *def);
/* Whether def was allocated with room for config_map (5.1.1+), as far as the allocator tells. */
int host_config_map_fits(struct flb_plugin_proxy_def *def);

/* ---- dispatch.c --------------------------------------------------------------------- */

enum op { OP_INIT, OP_PRE_RUN, OP_FLUSH, OP_COLLECT, OP_HANDED_OFF, OP_PAUSE, OP_RESUME,
          OP_PRE_EXIT, OP_EXIT, OP_EXIT_ALL, OP_UNREGISTER };

/* Lives on the caller's stack while it waits: keep it small (coroutine stacks are ~64 KiB). */
struct call {
    enum op op;
    long handle;
    long arg;
    const void *data;
    size_t size;
    const char *tag;
    void **out_data;
    size_t *out_len;
    long result;
    struct call *next;
    void (*finish)(struct call *c);   /* on the worker, after the call: the last touch of c */
    void *done;                       /* dispatch(): the waiting caller's semaphore */
    unsigned long ticket;             /* OP_FLUSH: its place in the order flushes started */
};

/* What a call answers when it could not run: the one place that decides it. */
long failure_result(enum op op);
long dispatch(struct call *c);
/* Queues the call and returns at once (0), or -1 when no worker runs; c->finish is called on
 * the worker when the call is done. */
int dispatch_async(struct call *c);
long call_simple(enum op op, long handle, long arg);

/* ---- the engine: jvm.c + generation.c, or graal.c; one is linked in ------------------- */

/* Creates or joins what runs the plugin (the process's JVM, or this plugin's isolate); 0 when it
 * runs. Called on a worker thread for Init. */
int engine_start(void);
/* 1 while a plugin generation runs (its first Init to Unregister). */
int engine_active(void);
/* On a worker thread: attaches the thread, starts the generation on Init, makes the call and
 * sets c->result (left at failure_result when the call could not run). */
void engine_call(struct call *c);
/* Fluent Bit is done with what a collect handed it (the cleanup callback): the engine's memory. */
void engine_collected_release(void *data);

/* ---- flush.c: the output flush ------------------------------------------------------- */

/* What an engine's flush call answers when the answer comes later through hostcall_flush_done. */
#define FLUSH_PENDING -1

struct completion;
/* Runs one flush: hands it to the engine (the call's arg is the completion token) and yields
 * the coroutine, or waits, until the answer; returns FLB_OK, FLB_RETRY or FLB_ERROR. */
int flush_run(long handle, const void *data, size_t size, char *tag);
/* The answer for a token an engine was given; once per token. Any thread. */
void flush_answer(struct completion *c, int result);
/* Exit: flushes of this handle (0: all) that no loop will resume are let go. */
void flush_orphan(long handle);
/* An output instance's init ran on this thread (Fluent Bit's engine thread); pre-run said whether hot reload is on. */
void flush_note_engine_thread(void);
/* input.c: copies n bytes from addr through the pipe fds (non-blocking, empty): -1 instead of a
 * fault when they are not readable. */
int probe(int fds[2], const void *addr, void *out, size_t n);
/* workers.c: at an output instance's exit (ins: Fluent Bit's instance), the worker threads
 * Fluent Bit started for it and forgot are stopped. */
void workers_stop_forgotten(void *ins);
/* Whether workers_stop_forgotten can work in this process (its symbols, a free signal). */
int workers_can_stop(void);
void flush_note_hot_reload(int enabled);

/* ---- bundle.c ----------------------------------------------------------------------- */

/* The embedded bundle as a path only this process can have written: a sealed memfd. */
const char *bundle_path(void);

/* ---- hostcalls.c: what plugin code asks of Fluent Bit, in C types ------------------- */

/* One function per io.flb4j.host.HostApi method. Instances and metrics are addresses as longs;
 * strings are UTF-8 C strings; names is { namespace, subsystem, name, help }. The JNI natives
 * convert to these, and the GraalVM engine hands their addresses to the isolate. */
const char *hostcall_property(long ins, const char *key);
const char *hostcall_instance_name(long ins);
int hostcall_log_enabled(long ins, int level);
void hostcall_log(long ins, int level, const char *message);
long hostcall_counter_create(long ins, char **names, int key_count, char **keys);
long hostcall_gauge_create(long ins, char **names, int key_count, char **keys);
void hostcall_counter_add(long metric, double value, int label_count, char **labels);
void hostcall_gauge_set(long metric, double value, int label_count, char **labels);
void hostcall_gauge_add(long metric, double value, int label_count, char **labels);
/* INPUT_TAKEN, INPUT_NO_PATH, INPUT_STOPPING or INPUT_REFUSED; blocks until appended. */
int hostcall_submit(long ins, const void *data, long length);
/* input_in_chunks, or -1 when the plugin is not an input. */
long hostcall_in_chunks(long ins);
/* The answer to a flush that returned FLUSH_PENDING; token is the call's arg. */
void hostcall_flush_done(long token, int result);

/* ---- input.c: the event-driven input path -------------------------------------------- */

#define INPUT_TAKEN 1      /* Fluent Bit appended the batch */
#define INPUT_NO_PATH 0    /* no event-driven path for this instance: use the 1-second collect */
#define INPUT_STOPPING -1  /* the input is stopping; the batch was not appended */
#define INPUT_REFUSED -2   /* flb_input_log_append failed */

void input_path_open(void *ins);
int input_submit(void *ins, const void *data, size_t size);
/* How many submits answered INPUT_TAKEN Fluent Bit's engine has put into chunks (counted from 1),
 * or -1 for an instance without the event path. */
long input_in_chunks(void *ins);
/* On the input thread: appends a batch, logs or (a msgpack map first) cmetrics or ctraces contexts. */
int input_append(void *ins, const void *data, size_t size);
/* Whether a batch holds cmetrics or ctraces contexts (a msgpack map first) rather than log events. */
int input_is_telemetry(const void *data, size_t size);
/* Whether this Fluent Bit exports what metrics (traces) from an input need. */
int input_metrics_supported(void);
int input_traces_supported(void);
void input_path_pause(int pause);
void input_path_stop(void);
void input_path_close(void);
/* On the input's thread: its running time collectors stopped once, as Fluent Bit 4.0.6 does (input.c). */
void input_timers_stop(void);

/* ---- jvm_malloc.c (the JVM engine's) ---------------------------------------------------- */

/* Before the JVM is created: the allocation imports of the JDK's libraries under libjvm_path's
 * lib folder go to a jemalloc arena of the JVM's own, without thread caches (FLB4J_JVM_MALLOC). */
void jvm_malloc_route(const char *libjvm_path);
/* The same for the JDK's libraries loaded since (a no-op unless jvm_malloc_route did it). */
void jvm_malloc_route_loaded(void);
/* What the JVM's arena holds, in KB; -1 when not routed or jemalloc keeps no statistics. */
long jvm_malloc_arena_kb(void);

/* ---- trim.c (the JVM engine's) -------------------------------------------------------- */

/* Starts the thread that gives back the JDK's file pages (libjvm.so holds address); FLB4J_TRIM. */
void trim_start(void *address);
/* Asks for a pass soon: an instance's init returned, start-up is over. */
void trim_soon(void);
/* A flush or collect was handed to the JVM: the first after an init brings the warm-up's passes. */
void trim_load_started(void);
/* One pass over the JDK's read-only file mappings under dir: clean pages resident, given back
 * when at least give_back_from. */
long trim_pass(const char *dir, long give_back_from);
/* A userfaultfd under which the JDK's mappings fault one page at a time, or -1 and why not. */
int trim_one_page_faults_open(const char **why);
/* Registers the private read-only mappings under dir with it: how many, or -1. */
long trim_one_page_faults(int uffd, const char *dir);
/* The trimmer's next period after a pass gave given_back pages and resident_now came back. */
long trim_next_period(long period, long first, long given_back, long resident_now);

#endif
