/*
 * The shim's private header: what its files share. Nothing here is exported from the .so.
 *
 *   shim.c      the FLBPlugin* exports (the only symbols the .so exports)
 *   dispatch.c  worker threads and the hand-off of every call
 *   host.c      Fluent Bit's host API for this plugin's kind, chosen once; feature probes
 *   jvm.c       finding, starting or joining the JVM; the plugin bundle in sealed memory
 *   natives.c   the JNI natives of io.flb4j.engine.jvm.JniHostApi, in one table
 *   generation.c one plugin generation: class loader, method IDs, the call switch
 *   signals.c   keeping the JVM's fault handlers in place when Fluent Bit reinstalls its own
 *   input.c     the event-driven input path (an eventfd collector of the shim's own)
 */
#ifndef FLB4J_SHIM_H
#define FLB4J_SHIM_H

#include <jni.h>
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
/* 0 when the running Fluent Bit has what this plugin needs; otherwise logs why and returns -1. */
int host_check_features(void);

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
    void *done;   /* the waiting caller's semaphore */
};

/* What a call answers when it could not run: the one place that decides it. */
long failure_result(enum op op);
long dispatch(struct call *c);
long call_simple(enum op op, long handle, long arg);

/* ---- jvm.c -------------------------------------------------------------------------- */

extern JavaVM *g_jvm;
int jvm_start(void);
JNIEnv *jvm_attach(void);
/* Logs and clears a pending Java exception; returns 1 if there was one. */
int java_failed(JNIEnv *env, const char *what);
/* The plugin bundle as a path only this process can have written: a sealed memfd. */
const char *bundle_path(void);

/* ---- natives.c ---------------------------------------------------------------------- */

int natives_register(JNIEnv *env, jclass host_api);

/* ---- generation.c ------------------------------------------------------------------- */

int generation_active(void);
int generation_start(JNIEnv *env);
void generation_run(JNIEnv *env, struct call *c);

/* ---- input.c: the event-driven input path -------------------------------------------- */

#define INPUT_TAKEN 1      /* Fluent Bit appended the batch */
#define INPUT_NO_PATH 0    /* no event-driven path for this instance: use the 1-second collect */
#define INPUT_STOPPING -1  /* the input is stopping; the batch was not appended */
#define INPUT_REFUSED -2   /* flb_input_log_append failed */

void input_path_open(void *ins);
int input_submit(void *ins, const void *data, size_t size);
void input_path_pause(int pause);
void input_path_stop(void);
void input_path_close(void);

/* ---- signals.c ---------------------------------------------------------------------- */

/* Called once, right after this shim created the JVM. */
void signals_guard_jvm(void);

#endif
