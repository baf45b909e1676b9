/*
 * The JDK's start-up pages leave the process.
 *
 * Starting a JVM reads much of libjvm.so's code (class loading, linking, verification, the JIT
 * warming up) and of the JDK's module image; Linux maps those file pages into the process, and
 * with fault-around it maps 16 at a time. Of about 14 MB of the JDK's files resident after start,
 * a running plugin touches 2 to 8 MB again (a C2 compilation alone 4 to 7); the rest stays in
 * Fluent Bit's RSS for the process's life. A thread of the shim's own (one per process, started
 * with the JVM) looks every period at how many pages of the JDK's read-only file mappings are
 * resident and gives them back:
 * MADV_PAGEOUT reclaims them (the kernel frees them when no other process maps them and this one
 * may write the file, e.g. runs as root), and MADV_DONTNEED unmaps what is left (it stays in the
 * page cache, clean, for the kernel to drop when it needs the memory). What runs again faults back
 * in. Only mappings with no anonymous or swapped page are touched (pagemap says which), so a page
 * the dynamic linker relocated, or a debugger's breakpoint, is never discarded.
 *
 * What comes back would be more than what runs: a fault maps its 64-KB window from the page cache
 * (fault-around), and a fault in an executable mapping reads ahead into the cache even under
 * MADV_RANDOM on recent kernels (VM_EXEC is read ahead regardless), so no advice keeps the text to
 * the pages touched. On Linux 6.7 and later the JDK's private read-only mappings are registered
 * with a userfaultfd for asynchronous write protection, which turns fault-around off for them (see
 * trim_one_page_faults): a fault then maps one page, and libjvm.so's share of a busy plugin's RSS
 * is about 2.4 MB instead of 7. FLB4J_FAULT_AROUND=on keeps the kernel's way.
 *
 * When nearly all of what one pass gave back was touched again by the next, the pages were in use
 * and the period doubles (up to TRIM_PERIOD_MAX_MS); when most stayed away, it halves back towards
 * the first one. FLB4J_TRIM=off turns it off; FLB4J_TRIM=<seconds> sets the first period.
 *
 * Start-up ends before the first period does: an instance's init returning (trim_soon) brings a
 * pass TRIM_AFTER_INIT_MS later, so that the pages JVM creation and the plugin's class loading
 * used leave before the first flushes' load (a backlog after a restart) peaks on top of them; the
 * inits of several instances, or of a hot reload's generation, within that delay make one pass
 * (a later init does not put it off, so inits in quick succession cannot keep it away).
 *
 * The load that follows an init warms the JIT up: its first compilations map 5 to 7 MB of
 * libjvm.so's code (C2's) within the first seconds of flushes or collects, at the moment a
 * backlog's chunks peak, and the period's next look can be 5 s away. So the first flush or
 * collect after an init (trim_load_started) brings TRIM_WARM_UP_PASSES passes, one every
 * TRIM_WARM_UP_STEP_MS, before the period takes over again. Like the pass after init, they do not
 * change the period: what comes back between them is the warm-up's, not a sign of steady use.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "shim.h"

#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT 21
#endif

#define TRIM_PERIOD_DEFAULT_MS 5000L
#define TRIM_AFTER_INIT_MS 250L
#define TRIM_WARM_UP_PASSES 4
#define TRIM_WARM_UP_STEP_MS 1000L
#define TRIM_PERIOD_MAX_MS (640 * 1000L)
#define TRIM_MIN_PAGES 256L   /* 1 MB: less than that resident is not worth giving back */
#define TRIM_MAX_MAPPINGS 256 /* the JDK's libraries have about 5 each; more are counted, not given back */
#define PAGEMAP_PRESENT (1ULL << 63)
#define PAGEMAP_SWAPPED (1ULL << 62)
#define PAGEMAP_FILE (1ULL << 61)

/* Resident pages of [start, end) by pagemap; -1 when one is anonymous or swapped (not clean). */
static long resident_clean(int pagemap, uintptr_t start, uintptr_t end, long page)
{
    uint64_t entries[512];
    long resident = 0;
    for (uintptr_t at = start; at < end;) {
        size_t n = (end - at) / (uintptr_t) page;
        n = n > 512 ? 512 : n;
        ssize_t got = pread(pagemap, entries, n * sizeof(uint64_t), (off_t) (at / (uintptr_t) page * 8));
        if (got <= 0) {
            return -1;
        }
        size_t entries_read = (size_t) got / sizeof(uint64_t);
        for (size_t i = 0; i < entries_read; i++) {
            if ((entries[i] & PAGEMAP_SWAPPED) || ((entries[i] & PAGEMAP_PRESENT) && !(entries[i] & PAGEMAP_FILE))) {
                return -1;
            }
            resident += (entries[i] & PAGEMAP_PRESENT) != 0;
        }
        at += entries_read * (uintptr_t) page;
    }
    return resident;
}

/*
 * Calls each(start, end, shared, arg) for every readable, not writable file mapping under dir
 * (r-xp, r--p, r--s), in address order. -1 when /proc/self/maps cannot be read.
 */
static int each_read_only_mapping(const char *dir, void (*each)(uintptr_t, uintptr_t, int, void *), void *arg)
{
    FILE *maps = fopen("/proc/self/maps", "re");
    if (!maps) {
        return -1;
    }
    size_t dir_len = strlen(dir);
    char line[4352];
    while (fgets(line, sizeof(line), maps)) {
        uintptr_t start, end;
        char perms[8];
        int path_at = 0;
        if (sscanf(line, "%lx-%lx %7s %*s %*s %*s %n", &start, &end, perms, &path_at) < 3 || !path_at) {
            continue;
        }
        char *path = line + path_at;
        path[strcspn(path, "\n")] = '\0';
        if (strncmp(path, dir, dir_len) == 0 && path[dir_len] == '/' && perms[0] == 'r' && perms[1] == '-') {
            each(start, end, perms[3] == 's', arg);
        }
    }
    fclose(maps);
    return 0;
}

struct pass {
    int pagemap;
    long page, total;
    int n_clean;
    struct { uintptr_t start, end; } clean[TRIM_MAX_MAPPINGS];
};

static void count_clean(uintptr_t start, uintptr_t end, int shared, void *arg)
{
    (void) shared;
    struct pass *pass = arg;
    long resident = resident_clean(pass->pagemap, start, end, pass->page);
    if (resident <= 0) {
        return;
    }
    pass->total += resident;
    if (pass->n_clean < TRIM_MAX_MAPPINGS) {
        pass->clean[pass->n_clean].start = start;
        pass->clean[pass->n_clean++].end = end;
    }
}

/*
 * One pass over the read-only file mappings under dir: the clean pages resident now, given back
 * when there are at least give_back_from of them (LONG_MAX: only counted). -1 when /proc cannot
 * be read.
 */
long trim_pass(const char *dir, long give_back_from)
{
    struct pass pass = { .pagemap = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC), .page = sysconf(_SC_PAGESIZE) };
    if (pass.pagemap < 0 || each_read_only_mapping(dir, count_clean, &pass) < 0) {
        if (pass.pagemap >= 0) {
            close(pass.pagemap);
        }
        return -1;
    }
    close(pass.pagemap);
    for (int i = 0; pass.total >= give_back_from && i < pass.n_clean; i++) {
        madvise((void *) pass.clean[i].start, pass.clean[i].end - pass.clean[i].start, MADV_PAGEOUT);
        madvise((void *) pass.clean[i].start, pass.clean[i].end - pass.clean[i].start, MADV_DONTNEED);
    }
    return pass.total;
}

/*
 * Fault-around off on the JDK's private read-only mappings. A fault in a file mapping maps the
 * whole 64-KB window around it from the page cache; for libjvm.so that is about 7 MB resident for
 * the 1.3 MB of code a running plugin uses (young collections, safepoints, JNI), back within
 * 250 ms of every pass. Linux skips fault-around in a mapping registered with a userfaultfd for
 * write protection, and from 6.7 (UFFD_FEATURE_WP_ASYNC) such a registration is allowed on any
 * mapping and needs no thread to answer: the kernel resolves every fault itself, as without it. No
 * page is write-protected, so nothing else changes: a fault maps the one page it needs. Only
 * private mappings (r-xp, r--p) are registered; the kernel refuses a shared one opened read-only.
 * UFFD_USER_MODE_ONLY is what an unprivileged process may ask for (vm.unprivileged_userfaultfd=0).
 * The descriptor stays open for the process's life (closing it ends the registrations); a child
 * of fork does not inherit the registrations, nor (O_CLOEXEC) an exec'd one the descriptor.
 */
#if defined(__linux__) && defined(SYS_userfaultfd) && __has_include(<linux/userfaultfd.h>)
#include <linux/userfaultfd.h>
#include <sys/ioctl.h>
#ifndef UFFD_USER_MODE_ONLY
#define UFFD_USER_MODE_ONLY 1
#endif
#define FEATURE_WP_ASYNC (1ULL << 15)   /* UFFD_FEATURE_WP_ASYNC, Linux 6.7; older headers lack it */

int trim_one_page_faults_open(const char **why)
{
    int uffd = (int) syscall(SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK | UFFD_USER_MODE_ONLY);
    if (uffd < 0) {
        *why = strerror(errno);
        return -1;
    }
    struct uffdio_api api = { .api = UFFD_API, .features = FEATURE_WP_ASYNC };
    if (ioctl(uffd, UFFDIO_API, &api) != 0 || !(api.features & FEATURE_WP_ASYNC)) {
        *why = "the kernel has no asynchronous write protection (Linux 6.7)";
        close(uffd);
        return -1;
    }
    return uffd;
}

struct registering {
    int uffd;
    long registered;
};

static void register_private(uintptr_t start, uintptr_t end, int shared, void *arg)
{
    struct registering *r = arg;
    struct uffdio_register reg = { .range = { .start = start, .len = end - start }, .mode = UFFDIO_REGISTER_MODE_WP };
    /* a mapping registered before: a no-op; EBUSY: another userfaultfd has it, left as it is */
    r->registered += !shared && ioctl(r->uffd, UFFDIO_REGISTER, &reg) == 0;
}

long trim_one_page_faults(int uffd, const char *dir)
{
    struct registering r = { .uffd = uffd };
    return uffd < 0 || each_read_only_mapping(dir, register_private, &r) < 0 ? -1 : r.registered;
}
#else
int trim_one_page_faults_open(const char **why)
{
    *why = "built without userfaultfd";
    return -1;
}

long trim_one_page_faults(int uffd, const char *dir)
{
    (void) uffd;
    (void) dir;
    return -1;
}
#endif

/*
 * The next period, from what the last pass gave back and how much of it is resident again now
 * (at most that: pages the process had not touched before are counted as come back too).
 */
long trim_next_period(long period, long first, long given_back, long resident_now)
{
    if (given_back <= 0) {
        return period;
    }
    if (resident_now * 4 >= given_back * 3) {
        return period * 2 > TRIM_PERIOD_MAX_MS ? TRIM_PERIOD_MAX_MS : period * 2;
    }
    return period / 2 < first ? first : period / 2;
}

static char g_trim_dir[4096];
static long g_trim_first;
static pthread_mutex_t g_trim_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t g_trim_nudged;
static int g_trim_running;
static struct timespec g_trim_soon;   /* a pass asked for by trim_soon, when tv_sec != 0 */
static int g_trim_soon_warm_up;       /* that pass is the load's warm-up pass of this number, or 0 */
static int g_trim_verbose;            /* FLB4J_TRIM_VERBOSE=1: every pass says what it gave back */
static int g_warm_up_armed;           /* an init returned and no flush or collect came yet */
static struct timespec g_warm_up_from;   /* when the load after the last init started */
/* How many of the load's warm-up passes were asked for: all of them until a load starts. */
static int g_warm_up_asked = TRIM_WARM_UP_PASSES;

static void at_ms_from(struct timespec *t, const struct timespec *from, long ms)
{
    *t = *from;
    t->tv_sec += ms / 1000;
    t->tv_nsec += (ms % 1000) * 1000000L;
    if (t->tv_nsec >= 1000000000L) {
        t->tv_sec++;
        t->tv_nsec -= 1000000000L;
    }
}

static int before(const struct timespec *a, const struct timespec *b)
{
    return a->tv_sec < b->tv_sec || (a->tv_sec == b->tv_sec && a->tv_nsec < b->tv_nsec);
}

/*
 * Asks for the load's next warm-up pass, if one is left and no pass is asked for already; called
 * with g_trim_lock held.
 */
static void warm_up_ask(void)
{
    if (g_warm_up_asked < TRIM_WARM_UP_PASSES && g_trim_soon.tv_sec == 0) {
        g_warm_up_asked++;
        at_ms_from(&g_trim_soon, &g_warm_up_from, g_warm_up_asked * TRIM_WARM_UP_STEP_MS);
        g_trim_soon_warm_up = g_warm_up_asked;
        pthread_cond_signal(&g_trim_nudged);
    }
}

/*
 * Waits until the period has passed since from, or until an asked-for pass is due. Returns 0 for
 * the former, 1 for the pass after an init, 1 + n for the load's warm-up pass n (the period's
 * schedule is then kept, from the pass's end).
 */
static int wait_for_pass(const struct timespec *from, long period)
{
    struct timespec due;
    at_ms_from(&due, from, period);
    int asked = 0;
    pthread_mutex_lock(&g_trim_lock);
    for (;;) {
        struct timespec now, until = due;
        clock_gettime(CLOCK_MONOTONIC, &now);
        asked = g_trim_soon.tv_sec != 0 && before(&g_trim_soon, &due);
        if (asked) {
            until = g_trim_soon;
        }
        if (!before(&now, &until)) {
            break;
        }
        pthread_cond_timedwait(&g_trim_nudged, &g_trim_lock, &until);
    }
    if (asked && g_trim_soon_warm_up) {
        asked = 1 + g_trim_soon_warm_up;
    }
    g_trim_soon.tv_sec = 0;   /* a period's pass due first stands for a warm-up pass pending */
    g_trim_soon_warm_up = 0;
    warm_up_ask();            /* the next one, at its own time from the load's start */
    pthread_mutex_unlock(&g_trim_lock);
    return asked;
}

static int g_trim_uffd = -1;   /* keeps fault-around off on the JDK's mappings, when not -1 */

/* The userfaultfd that keeps fault-around off on the JDK's code, or -1 (FLB4J_FAULT_AROUND=on). */
static int one_page_faults_as_set(void)
{
    const char *setting = getenv("FLB4J_FAULT_AROUND");
    if (setting && strcmp(setting, "on") == 0) {
        return -1;
    }
    if (setting && setting[0] && strcmp(setting, "off") != 0) {
        log_warn("FLB4J_FAULT_AROUND is '%s': use on (the kernel maps 64 KB around each fault in the "
                 "JDK's code) or off (one page, the default)", setting);
    }
    const char *why = NULL;
    int uffd = trim_one_page_faults_open(&why);
    if (uffd < 0) {
        log_info("the kernel maps the JDK's code 64 KB at a time (fault-around) in this process: "
                 "one page at a time needs a userfaultfd with asynchronous write protection (%s)", why);
    }
    return uffd;
}

static void *trimmer(void *arg)
{
    (void) arg;
    long period = g_trim_first, given_back = 0;
    int first = 1;
    struct timespec from;
    clock_gettime(CLOCK_MONOTONIC, &from);
    for (;;) {
        int asked = wait_for_pass(&from, period);
        trim_one_page_faults(g_trim_uffd, g_trim_dir);   /* libraries the JDK loaded since */
        jvm_malloc_route_loaded();
        long resident = trim_pass(g_trim_dir, TRIM_MIN_PAGES);   /* counted before it is given back */
        if (resident < 0) {
            log_info("the JDK's start-up pages stay mapped: /proc/self/pagemap cannot be read");
            return NULL;
        }
        if (!asked) {   /* what came back since an asked-for pass is start-up's, not a sign of use */
            period = trim_next_period(period, g_trim_first, given_back, resident);
        }
        given_back = resident >= TRIM_MIN_PAGES ? resident : 0;
        clock_gettime(CLOCK_MONOTONIC, &from);
        if (g_trim_verbose) {
            char why[64];
            if (asked > 1) {
                snprintf(why, sizeof(why), "the load's warm-up pass %d of %d", asked - 1, TRIM_WARM_UP_PASSES);
            }
            else {
                snprintf(why, sizeof(why), "%s", asked ? "the pass after an init" : "the period's pass");
            }
            char arena[64] = "";
            long arena_kb = jvm_malloc_arena_kb();
            if (arena_kb >= 0) {
                snprintf(arena, sizeof(arena), "; the JVM's jemalloc arena holds %ld KB", arena_kb);
            }
            log_info("trim: %s found %ld KB of the JDK's files resident%s; next period %ld ms%s", why,
                     resident * (sysconf(_SC_PAGESIZE) / 1024), given_back ? " and gave them back" : "", period,
                     arena);
        }
        if (given_back && first) {
            log_info("%ld KB of the JDK's files (%s) mapped since the JVM started were given back; "
                     "FLB4J_TRIM=off keeps them", given_back * (sysconf(_SC_PAGESIZE) / 1024), g_trim_dir);
            first = 0;
        }
    }
    return NULL;
}

/*
 * Asks the trimmer for a pass TRIM_AFTER_INIT_MS from now, unless one is due already (start-up is
 * over: an instance's init returned); nothing when it does not run (FLB4J_TRIM=off, another
 * plugin's JVM).
 */
void trim_soon(void)
{
    pthread_mutex_lock(&g_trim_lock);
    if (g_trim_running && g_trim_soon.tv_sec == 0) {   /* one asked for already: not put off */
        struct timespec now;
        clock_gettime(CLOCK_MONOTONIC, &now);
        at_ms_from(&g_trim_soon, &now, TRIM_AFTER_INIT_MS);
        pthread_cond_signal(&g_trim_nudged);
    }
    if (g_trim_running) {
        __atomic_store_n(&g_warm_up_armed, 1, __ATOMIC_RELEASE);
    }
    pthread_mutex_unlock(&g_trim_lock);
}

/*
 * A flush or collect was handed to the JVM: the first after an init starts the warm-up's passes
 * (a relaxed load and nothing else on every later call).
 */
void trim_load_started(void)
{
    if (!__atomic_load_n(&g_warm_up_armed, __ATOMIC_RELAXED)
            || !__atomic_exchange_n(&g_warm_up_armed, 0, __ATOMIC_ACQ_REL)) {
        return;
    }
    pthread_mutex_lock(&g_trim_lock);
    clock_gettime(CLOCK_MONOTONIC, &g_warm_up_from);
    g_warm_up_asked = 0;
    warm_up_ask();   /* or once the pass asked for already (the init's) is due, from the trimmer */
    pthread_mutex_unlock(&g_trim_lock);
}

/*
 * Starts the process's trimmer for the JDK whose libjvm.so holds address (any function of it).
 * Called once, by the plugin that created the JVM.
 */
void trim_start(void *address)
{
    const char *setting = getenv("FLB4J_TRIM");
    if (setting && strcmp(setting, "off") == 0) {
        return;
    }
    long first = TRIM_PERIOD_DEFAULT_MS;
    const char *verbose = getenv("FLB4J_TRIM_VERBOSE");
    g_trim_verbose = verbose && strcmp(verbose, "1") == 0;
    if (setting && setting[0]) {
        char *end;
        double seconds = strtod(setting, &end);
        if (*end != '\0' || !(seconds >= 0.1 && seconds <= 3600)) {
            log_warn("FLB4J_TRIM is '%s': use off or a number of seconds from 0.1 to 3600; using %ld",
                     setting, TRIM_PERIOD_DEFAULT_MS / 1000);
        } else {
            first = (long) (seconds * 1000);
        }
    }
    Dl_info info;
    char *real;
    if (!dladdr(address, &info) || !info.dli_fname || !(real = realpath(info.dli_fname, NULL))) {
        return;
    }
    /* .../lib/server/libjvm.so: the JDK's lib folder holds libjvm.so's folder and the module image.
     * /proc/self/maps names files by their real path (JAVA_HOME is often a link: default-java). */
    snprintf(g_trim_dir, sizeof(g_trim_dir), "%s", real);
    free(real);
    for (int i = 0; i < 2; i++) {
        char *slash = strrchr(g_trim_dir, '/');
        if (!slash || slash == g_trim_dir) {
            return;
        }
        *slash = '\0';
    }
    g_trim_first = first;
    g_trim_uffd = one_page_faults_as_set();
    trim_one_page_faults(g_trim_uffd, g_trim_dir);
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);   /* Fluent Bit's signals are never delivered here */
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    pthread_attr_setstacksize(&attr, 256 * 1024);
    pthread_condattr_t monotonic;
    pthread_condattr_init(&monotonic);
    pthread_condattr_setclock(&monotonic, CLOCK_MONOTONIC);
    pthread_cond_init(&g_trim_nudged, &monotonic);
    pthread_condattr_destroy(&monotonic);
    pthread_t t;
    if (pthread_create(&t, &attr, trimmer, NULL) == 0) {
        pthread_setname_np(t, "flb4j-trim");
        pthread_mutex_lock(&g_trim_lock);
        g_trim_running = 1;
        pthread_mutex_unlock(&g_trim_lock);
    }
    pthread_attr_destroy(&attr);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
}
