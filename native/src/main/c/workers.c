/*
 * The output worker pool Fluent Bit starts twice. From 2.2 to 5.1, an output with Workers
 * gets its pool from flb_proxy_output_cb_init and then again from flb_output_init_all; the
 * instance keeps the second, and the first pool's threads run on with the instance, forgotten.
 * Each wakes every 1.5 s on a timer that reads the instance, so once a hot reload has freed it,
 * Fluent Bit dies with SIGSEGV (output_thread, flb_upstream_conn_timeouts), with a C proxy output
 * too (README, Workers).
 *
 * At the instance's exit Fluent Bit has already stopped the pool it kept: flb_output_exit
 * destroys the pool, then calls the exit callback, then frees the instance, in every release
 * from 2.2.0 to 5.1.1. So an output worker thread still serving this instance there is one of
 * the forgotten pool, and it is stopped before the instance is freed, on its own event loop:
 *   1. Each thread named flb-out-<plugin>.* (output_thread names its thread so) is asked, by a signal of
 *      the shim's own, for its thread instance (flb_output_thread_instance_get) and its event
 *      loop (flb_engine_evl_get): both are that thread's thread-local values. Its thread instance
 *      begins with a struct mk_event and then its loop, and holds the instance a few words on:
 *      one that does not is another instance's, and is left alone.
 *   2. An eventfd of the shim's is added to that loop as a custom event (as the flush adds its
 *      own, OUTPUT-PATH.md) and written; the thread's loop calls the handler, on that thread,
 *      between two of its events, and the handler ends the thread (pthread_exit, detached: no
 *      one will join a pool no one has).
 * Where something is missing (a symbol, the thread's answer, no free signal), nothing is stopped
 * and the flush's warning of Workers with hot reload stays true.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "shim.h"

/* Where the instance may be in a struct flb_out_thread_instance: after the mk_event and the
 * loop (word 9), within the first 28 words (2.2: word 13; 3.2 and 5.1: word 24), which every
 * release's struct holds (2.2's is 30 words long). */
#define LOOP_WORD (sizeof(struct mk_event) / sizeof(void *))
#define LAST_INSTANCE_WORD 27

static struct {
    void *(*thread_instance)(void);
    void *(*evl_get)(void);
    int (*event_add)(void *evl, int fd, int type, uint32_t mask, void *event);
    int (*event_del)(void *evl, void *event);
} fb;
static int g_signal;   /* 0: none free, or a symbol missing */
static pthread_once_t g_once = PTHREAD_ONCE_INIT;

/* "flb-out-<plugin>.", as far as a thread's 15-character name holds it: output_thread names its
 * thread flb-out-<instance>-w<n>, and an instance is <plugin>.<n>. */
static char g_prefix[16];

/* One instance's exit at a time: g_ask is shared. */
static pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER;

/* One question at a time (under g_lock): the thread asked, and its answer. */
static struct {
    volatile pid_t tid;
    void *volatile thread_instance;
    void *volatile evl;
    sem_t answered;
} g_ask;

static void on_ask(int sig)
{
    (void) sig;
    int saved = errno;
    if ((pid_t) syscall(SYS_gettid) == g_ask.tid) {
        g_ask.thread_instance = fb.thread_instance();
        g_ask.evl = fb.evl_get();
        g_ask.tid = 0;
        sem_post(&g_ask.answered);
    }
    errno = saved;
}

/* The symbols, and a real-time signal no one handles; its handler stays for the process's life,
 * since an answer may come late. */
static void resolve(void)
{
    void **slots = (void **) &fb;
    static const char *const names[] = { "flb_output_thread_instance_get", "flb_engine_evl_get", "mk_event_add",
                                         "mk_event_del" };
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        if (!(slots[i] = dlsym(RTLD_DEFAULT, names[i]))) {
            return;
        }
    }
    snprintf(g_prefix, sizeof(g_prefix), "flb-out-%s.", FLB4J_PLUGIN_NAME);
    sem_init(&g_ask.answered, 0, 0);
    /* Another flb4j plugin's shim in the process may be choosing at the same moment (its first
     * flush on a worker thread): what the install itself replaced tells whether the signal was
     * still free, and one that was not is given back at once. */
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_ask;
    sa.sa_flags = SA_RESTART;
    sigemptyset(&sa.sa_mask);
    for (int sig = SIGRTMAX - 1; sig > SIGRTMIN + 4; sig--) {
        struct sigaction old;
        if (sigaction(sig, NULL, &old) != 0 || old.sa_handler != SIG_DFL || (old.sa_flags & SA_SIGINFO)
                || sigaction(sig, &sa, &old) != 0) {
            continue;
        }
        if (old.sa_handler == SIG_DFL && !(old.sa_flags & SA_SIGINFO)) {
            g_signal = sig;
            return;
        }
        sigaction(sig, &old, NULL);   /* taken between the look and the install */
    }
}

int workers_can_stop(void)
{
    pthread_once(&g_once, resolve);
    return g_signal != 0;
}

/* A forgotten worker's stop: the custom event its loop hands to stop_thread. */
struct stop {
    struct mk_event event;   /* first: the loop hands the handler this address */
    int fd;
    void *evl;
    sem_t *stopped;
};

static int stop_thread(void *event)
{
    struct stop *s = event;
    fb.event_del(s->evl, &s->event);
    close(s->fd);
    sem_post(s->stopped);
    free(s);
    pthread_detach(pthread_self());
    pthread_exit(NULL);
}

static int wait_for(sem_t *sem, long ms)
{
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += ms / 1000;
    until.tv_nsec += (ms % 1000) * 1000000L;
    if (until.tv_nsec >= 1000000000L) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000L;
    }
    while (sem_timedwait(sem, &until) != 0) {
        if (errno != EINTR) {
            return -1;
        }
    }
    return 0;
}

/* Whether the thread tid is an output worker of ins (1), another's (0), or did not answer (-1);
 * its loop in *evl. Under g_lock. */
static int serves(pid_t tid, void *ins, void **evl)
{
    while (sem_trywait(&g_ask.answered) == 0) {   /* a late answer to an earlier question */
    }
    g_ask.thread_instance = NULL;
    g_ask.evl = NULL;
    int answered = 0;
    for (int attempt = 0; attempt < 2 && !answered; attempt++) {   /* twice: a signal may have been lost */
        g_ask.tid = tid;
        if (syscall(SYS_tgkill, getpid(), tid, g_signal) != 0) {
            break;
        }
        answered = wait_for(&g_ask.answered, 500) == 0;
    }
    if (!answered) {
        g_ask.tid = 0;
        return -1;
    }
    void *words[LAST_INSTANCE_WORD + 1];
    int fds[2];
    *evl = g_ask.evl;
    if (!g_ask.thread_instance || !*evl || pipe2(fds, O_CLOEXEC | O_NONBLOCK) != 0) {
        return 0;
    }
    int read = probe(fds, g_ask.thread_instance, words, sizeof(words)) == 0;   /* never a fault */
    close(fds[0]);
    close(fds[1]);
    if (!read || words[LOOP_WORD] != *evl) {
        return 0;
    }
    for (size_t i = LOOP_WORD + 1; i <= LAST_INSTANCE_WORD; i++) {
        if (words[i] == ins) {
            return 1;
        }
    }
    return 0;
}

static int stop_on_its_loop(void *evl)
{
    static sem_t stopped;
    static int made;
    if (!made) {
        sem_init(&stopped, 0, 0);
        made = 1;
    }
    struct stop *s = calloc(1, sizeof(*s));
    if (!s || (s->fd = eventfd(0, EFD_CLOEXEC)) < 0) {
        free(s);
        return -1;
    }
    while (sem_trywait(&stopped) == 0) {   /* a stop that came after its wait had given up */
    }
    s->evl = evl;
    s->stopped = &stopped;
    s->event.handler = stop_thread;
    if (fb.event_add(evl, s->fd, MK_EVENT_CUSTOM, MK_EVENT_READ, &s->event) != 0) {
        close(s->fd);
        free(s);
        return -1;
    }
    uint64_t one = 1;
    if (write(s->fd, &one, sizeof(one)) != sizeof(one)) {
        return -1;   /* s stays registered: its thread may still take it */
    }
    return wait_for(&stopped, 2000);
}

/* The output instance ins exits: its forgotten workers, if any, end now. */
void workers_stop_forgotten(void *ins)
{
    pthread_mutex_lock(&g_lock);
    pthread_once(&g_once, resolve);
    DIR *tasks = ins && g_signal ? opendir("/proc/self/task") : NULL;
    int stopped = 0, failed = 0;
    pid_t self = (pid_t) syscall(SYS_gettid);
    for (struct dirent *d; tasks && (d = readdir(tasks)) != NULL;) {
        pid_t tid = (pid_t) atoi(d->d_name);
        char path[64], name[32] = "";
        snprintf(path, sizeof(path), "/proc/self/task/%d/comm", (int) tid);
        FILE *comm = tid > 0 && tid != self ? fopen(path, "r") : NULL;
        if (!comm) {
            continue;
        }
        int named = fgets(name, sizeof(name), comm) != NULL && strncmp(name, g_prefix, strlen(g_prefix)) == 0;
        fclose(comm);
        void *evl;
        int worker = named ? serves(tid, ins, &evl) : 0;
        if (worker > 0 && stop_on_its_loop(evl) == 0) {
            stopped++;
        }
        else if (worker != 0) {
            failed++;   /* did not answer, or did not stop: it may be one */
        }
    }
    if (tasks) {
        closedir(tasks);
    }
    pthread_mutex_unlock(&g_lock);
    if (stopped) {
        log_info("stopped %d output worker thread(s) that Fluent Bit started for this instance and then forgot (it "
                 "starts a proxy output's Workers pool twice); left running, they would read the freed instance "
                 "after a hot reload and crash Fluent Bit", stopped);
    }
    if (failed) {
        log_warn("%d output worker thread(s) of this plugin could not be asked or stopped; if Fluent Bit started "
                 "them for this instance and then forgot them, a hot reload may crash it (README, Workers)", failed);
    }
}
