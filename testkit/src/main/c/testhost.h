/*
 * The test host's shared header. The test host is a stand-in for Fluent Bit's proxy, cut one
 * file per concern like the shim it tests:
 *   testhost.c            main, the command table, output lines
 *   testhost_api.c        the emulated struct flb_api, kept keys, the emulated release's struct lengths
 *   testhost_cmetrics.c   cmetrics stand-ins exported as the fluent-bit executable exports them
 *   testhost_loader.c     dlopen, Register, Init, Exit, Unregister of a plugin .so
 *   testhost_engine.c     Fluent Bit's engine as a flush sees it: libco, flb_coro, an event loop
 *                         per thread with custom events, flushes started as coroutines
 *   testhost_outputs.c    the output commands (output, reload, two, instances, init)
 *   testhost_inputs.c     the input commands (input, signals, crash) and the 1-second collect
 *   testhost_input_loop.c a threaded input's event loop: the collector functions, input-events
 *   testhost_signals.c    signal handlers installed as Fluent Bit installs them
 *   testhost_workers.c    the output worker pool Fluent Bit starts twice and forgets
 * Every file is named testhost*: the shim's files share the class path's io/flb4j/native/.
 */
#ifndef FLB4J_TESTHOST_H
#define FLB4J_TESTHOST_H

#include <stddef.h>

#include "flb4j_abi.h"

#define COROUTINE_STACK (64 * 1024)

/* ---- testhost.c ----------------------------------------------------------------------- */

void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void die(const char *what) __attribute__((noreturn));
long now_ms(void);

/* ---- testhost_api.c ------------------------------------------------------------------- */

struct instance {
    char **props;   /* key=value */
    int count;
    int kind;       /* FLB_PROXY_*_PLUGIN */
    char name[64];  /* as flb_*_name() gives it */
    void *rb;       /* a threaded input's ring buffer, as Fluent Bit's instance has one (testhost_input_loop.c) */
    volatile int alive;   /* INSTANCE_ALIVE until the host frees it (testhost_workers.c) */
};
#define INSTANCE_ALIVE 0x411fe

extern struct flb_api *api;
/* The environment variable name as a number, or fallback when it is unset or empty. */
int env_int(const char *name, int fallback);
void read_kept(const char *self);
void emulate_version(const char *self);
int version_at_least(const char *v);
/* Metrics an input appends (testhost_input_loop.c): to OUT_FILE.metrics, a summary line at close. */
void metrics_open(const char *out_file);
void metrics_close(void);
/* Whether Fluent Bit's core keeps the first n bytes of key (any case) for itself. */
int is_kept(int kind, const char *key, size_t n);
/* size bytes that end where a PROT_NONE page starts, filled with fill; freed with unguard. */
void *guarded(size_t size, int fill);
void unguard(void *p, size_t size);
struct flb_plugin_proxy_def *new_def(void);

/* ---- testhost_cmetrics.c -------------------------------------------------------------- */

void print_metrics(void);

/* ---- testhost_loader.c ---------------------------------------------------------------- */

struct plugin {
    void *so;
    struct flb_plugin_proxy_def *def;
    struct instance ins;
    struct flb_plugin_proxy_context ctx;
    struct flb_plugin_input_proxy_context in_ctx;
    int (*flush_ctx)(void *, const void *, size_t, char *);
    int (*exit_ctx)(void *);
    void (*unregister)(struct flb_plugin_proxy_def *);
};

void *sym(struct plugin *p, const char *name, int required);
void load(struct plugin *p, const char *path, char **props, int count);
int init(struct plugin *p);
void *remote(struct plugin *p);
void unload(struct plugin *p);
char *read_file(const char *path, size_t *size);

/* ---- testhost_engine.c ---------------------------------------------------------------- */

/* FLUSHES flushes of the chunk on each of THREADS threads (each an engine or output worker
 * thread with its own event loop), at most TESTHOST_INFLIGHT (default 4) in flight per thread;
 * prints the answers, the most in flight at once and the longest the loop went unserved. */
void flush_many(struct plugin *p, const char *chunk, size_t size, int flushes, int threads);
/* A new event loop for the calling thread (flb_engine_evl_get's answer there); shared: other
 * threads may add events to it. One turn of it: custom events to their handler. */
void *engine_loop_new(int shared);
void engine_loop_run_once(void *evl, int timeout_ms);

/* ---- testhost_workers.c --------------------------------------------------------------- */

/* The output worker pool Fluent Bit starts twice and forgets: started at an output's init,
 * reading the instance until the host frees it after the exit callback. */
void forgotten_workers_start(struct instance *ins);
void forgotten_workers_free(struct instance *ins);

/* ---- testhost_outputs.c, testhost_inputs.c, testhost_input_loop.c ------------------- */

int cmd_init(char **argv, int argc);
int cmd_output(char **argv, int argc);
int cmd_reload(char **argv, int argc);
int cmd_two(char **argv, int argc);
int cmd_instances(char **argv, int argc);
int cmd_input(char **argv, int argc);
int cmd_signals(char **argv, int argc);
int cmd_crash(char **argv, int argc);
int cmd_input_events(char **argv, int argc);

/* ---- testhost_signals.c --------------------------------------------------------------- */

void host_signal_init(void);
/* Whether SIGSEGV is still handled by the host's own handler. */
int host_handles_segv(void);

#endif
