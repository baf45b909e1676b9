/*
 * The JVM's mallocs in one jemalloc arena of their own, with no thread cache.
 *
 * Fluent Bit as its images ship is linked with jemalloc, which then serves every malloc in the
 * process, libjvm.so's included. jemalloc gives each new thread an arena (round robin over four
 * per CPU) and a cache of freed blocks per thread: the JVM's dozen threads (C2's compiler
 * threads, the VM thread, the GC's, the service threads, every flush thread) each fill a cache
 * that only that thread can empty, and spread the JVM's few MB over every arena, each of which
 * then keeps its own dirty pages. Measured under the output benchmark (3.2.10): 4.8 to 5.6 MB in
 * thread caches against 0.8 to 1.0 with Fluent Bit's C output.
 *
 * So, before the JVM is created, libjvm.so's GOT entries for malloc, calloc, realloc, free and
 * posix_memalign (its only allocation imports; the same for the JDK's other native libraries as
 * they load, at the trimmer's looks) are pointed at the functions below, which call jemalloc's
 * own mallocx/rallocx/dallocx with an arena created for the JVM and MALLOCX_TCACHE_NONE. Every
 * block stays a jemalloc block: one the JVM frees that libc allocated (strdup) or the reverse is
 * freed as before. Nothing is done unless malloc and mallocx come from one object (a Fluent Bit
 * built without jemalloc has no mallocx; one with a prefixed jemalloc has no unprefixed one), and
 * FLB4J_JVM_MALLOC=shared leaves the JVM's mallocs as they were. The arena's dirty pages go back at
 * once (dirty_decay_ms 0): nothing but the JVM allocates from it to reuse them, and with jemalloc's
 * default decay of 10 s what a compilation freed stayed resident beside the chunks.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <elf.h>
#include <errno.h>
#include <link.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/types.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "shim.h"

#define MALLOCX_ARENA(a) ((int) (((unsigned) (a) + 1) << 20))
#define MALLOCX_TCACHE_NONE ((int) (1 << 8))
#define MALLOCX_ZERO ((int) 0x40)

typedef void *(*mallocx_fn)(size_t, int);
typedef void *(*rallocx_fn)(void *, size_t, int);
typedef void (*dallocx_fn)(void *, int);
typedef int (*mallctl_fn)(const char *, void *, size_t *, void *, size_t);

static mallocx_fn g_mallocx;
static rallocx_fn g_rallocx;
static dallocx_fn g_dallocx;
static int g_flags;  /* the JVM's arena, no thread cache */
static int g_routed; /* 1 once libjvm.so's imports point here */
static unsigned g_arena;
static mallctl_fn g_mallctl;

static void *jm_malloc(size_t size)
{
    void *p = g_mallocx(size ? size : 1, g_flags);
    if (!p) {
        errno = ENOMEM;
    }
    return p;
}

static void *jm_calloc(size_t count, size_t size)
{
    size_t total;
    if (__builtin_mul_overflow(count, size, &total)) {
        errno = ENOMEM;
        return NULL;
    }
    void *p = g_mallocx(total ? total : 1, g_flags | MALLOCX_ZERO);
    if (!p) {
        errno = ENOMEM;
    }
    return p;
}

static void jm_free(void *p)
{
    if (p) {
        g_dallocx(p, MALLOCX_TCACHE_NONE);
    }
}

static void *jm_realloc(void *p, size_t size)
{
    if (!p) {
        return jm_malloc(size);
    }
    if (!size) {
        jm_free(p);
        return NULL;
    }
    void *q = g_rallocx(p, size, g_flags);
    if (!q) {
        errno = ENOMEM;
    }
    return q;
}

static int jm_posix_memalign(void **out, size_t alignment, size_t size)
{
    if (alignment < sizeof(void *) || (alignment & (alignment - 1))) {
        return EINVAL;
    }
    void *p = g_mallocx(size ? size : 1, g_flags | __builtin_ctzl(alignment));
    if (!p) {
        return ENOMEM;
    }
    *out = p;
    return 0;
}

static void *jm_aligned_alloc(size_t alignment, size_t size)
{
    void *p = NULL;
    int rc = jm_posix_memalign(&p, alignment, size);
    if (rc) {
        errno = rc;
        return NULL;
    }
    return p;
}

static const struct {
    const char *name;
    void *to;
} ROUTES[] = {
    { "malloc", (void *) jm_malloc },   { "calloc", (void *) jm_calloc },
    { "realloc", (void *) jm_realloc }, { "free", (void *) jm_free },
    { "posix_memalign", (void *) jm_posix_memalign }, { "aligned_alloc", (void *) jm_aligned_alloc },
};

#if defined(__x86_64__)
#define RELOC_JUMP_SLOT R_X86_64_JUMP_SLOT
#define RELOC_GLOB_DAT R_X86_64_GLOB_DAT
#elif defined(__aarch64__)
#define RELOC_JUMP_SLOT R_AARCH64_JUMP_SLOT
#define RELOC_GLOB_DAT R_AARCH64_GLOB_DAT
#endif

#ifdef RELOC_JUMP_SLOT
/* Points one GOT slot at `to`; a slot in the object's RELRO (read-only since load) is made so again. */
static int set_slot(void **slot, void *to, uintptr_t relro_start, uintptr_t relro_end)
{
    uintptr_t page = (uintptr_t) sysconf(_SC_PAGESIZE);
    uintptr_t start = (uintptr_t) slot & ~(page - 1);
    /* ld.so protects the RELRO's whole pages only, as here */
    int in_relro = start >= (relro_start & ~(page - 1)) && start + page <= (relro_end & ~(page - 1));
    if (mprotect((void *) start, (size_t) page, PROT_READ | PROT_WRITE) != 0) {
        return -1;
    }
    __atomic_store_n(slot, to, __ATOMIC_RELEASE);
    if (in_relro) {
        mprotect((void *) start, (size_t) page, PROT_READ);
    }
    return 0;
}

struct route_job {
    const char *prefix[2]; /* the objects whose path starts with one of them */
    int slots;          /* slots pointed here */
    int failed;
};

static void route_relocations(ElfW(Addr) base, const ElfW(Rela) *rel, size_t size, const ElfW(Sym) *symtab,
                              const char *strtab, struct route_job *job, uintptr_t relro_start,
                              uintptr_t relro_end)
{
    for (size_t i = 0; rel && i < size / sizeof(*rel); i++) {
        unsigned long type = ELF64_R_TYPE(rel[i].r_info);
        if (type != RELOC_JUMP_SLOT && type != RELOC_GLOB_DAT) {
            continue;
        }
        const char *name = strtab + symtab[ELF64_R_SYM(rel[i].r_info)].st_name;
        for (size_t r = 0; r < sizeof(ROUTES) / sizeof(ROUTES[0]); r++) {
            if (strcmp(name, ROUTES[r].name) != 0) {
                continue;
            }
            void **slot = (void **) (base + rel[i].r_offset);
            if (*slot == ROUTES[r].to) {
                break;
            }
            if (set_slot(slot, ROUTES[r].to, relro_start, relro_end) == 0) {
                job->slots++;
            } else {
                job->failed++;
            }
            break;
        }
    }
}

static int route_object(struct dl_phdr_info *info, size_t size, void *data)
{
    (void) size;
    struct route_job *job = data;
    if (strncmp(info->dlpi_name, job->prefix[0], strlen(job->prefix[0])) != 0
            && (!job->prefix[1][0] || strncmp(info->dlpi_name, job->prefix[1], strlen(job->prefix[1])) != 0)) {
        return 0;
    }
    ElfW(Addr) base = info->dlpi_addr;
    const ElfW(Dyn) *dyn = NULL;
    uintptr_t relro_start = 0, relro_end = 0;
    for (int i = 0; i < info->dlpi_phnum; i++) {
        if (info->dlpi_phdr[i].p_type == PT_DYNAMIC) {
            dyn = (const ElfW(Dyn) *) (base + info->dlpi_phdr[i].p_vaddr);
        } else if (info->dlpi_phdr[i].p_type == PT_GNU_RELRO) {
            relro_start = base + info->dlpi_phdr[i].p_vaddr;
            relro_end = relro_start + info->dlpi_phdr[i].p_memsz;
        }
    }
    if (!dyn) {
        return 0;
    }
    const ElfW(Rela) *jmprel = NULL, *rela = NULL;
    size_t jmprel_size = 0, rela_size = 0;
    const ElfW(Sym) *symtab = NULL;
    const char *strtab = NULL;
    /* ld.so has relocated these addresses in place on most systems; not on all. */
#define AT(v) ((v) < base ? (v) + base : (v))
    for (; dyn->d_tag != DT_NULL; dyn++) {
        switch (dyn->d_tag) {
        case DT_JMPREL: jmprel = (const ElfW(Rela) *) AT(dyn->d_un.d_ptr); break;
        case DT_PLTRELSZ: jmprel_size = dyn->d_un.d_val; break;
        case DT_RELA: rela = (const ElfW(Rela) *) AT(dyn->d_un.d_ptr); break;
        case DT_RELASZ: rela_size = dyn->d_un.d_val; break;
        case DT_SYMTAB: symtab = (const ElfW(Sym) *) AT(dyn->d_un.d_ptr); break;
        case DT_STRTAB: strtab = (const char *) AT(dyn->d_un.d_ptr); break;
        default: break;
        }
    }
#undef AT
    if (symtab && strtab) {
        route_relocations(base, jmprel, jmprel_size, symtab, strtab, job, relro_start, relro_end);
        route_relocations(base, rela, rela_size, symtab, strtab, job, relro_start, relro_end);
    }
    return 0;
}
#endif

/* The JDK's lib directory with its '/', as libjvm.so was loaded and as its real path (HotSpot loads
 * the JDK's other libraries from the real one). */
static char g_jdk_lib[2][4096];

/* Points the allocation imports of the JDK's loaded native libraries here; how many slots changed. */
static int route_imports(void)
{
#ifdef RELOC_JUMP_SLOT
    struct route_job job = { { g_jdk_lib[0], g_jdk_lib[1] }, 0, 0 };
    dl_iterate_phdr(route_object, &job);
    if (job.failed) {
        log_warn("the JVM's allocations: %d import slots under %s could not be rerouted (mprotect: %s)", job.failed,
                 g_jdk_lib[0], strerror(errno));
    }
    return job.slots;
#else
    return 0;
#endif
}

/* FLB4J_TRIM_VERBOSE=1, as the trimmer reads it */
static int verbose(void)
{
    const char *v = getenv("FLB4J_TRIM_VERBOSE");
    return v && strcmp(v, "1") == 0;
}

/* Symbol `name` when the object that gives malloc gives it too. */
static void *beside_malloc(const char *name)
{
    Dl_info a, b;
    void *malloc_at = dlsym(RTLD_DEFAULT, "malloc");
    void *at = dlsym(RTLD_DEFAULT, name);
    if (!malloc_at || !at || !dladdr(malloc_at, &a) || !dladdr(at, &b) || a.dli_fbase != b.dli_fbase) {
        return NULL;
    }
    return at;
}

void jvm_malloc_route(const char *libjvm_path)
{
    const char *setting = getenv("FLB4J_JVM_MALLOC");
    if (g_routed || (setting && strcmp(setting, "shared") == 0)) {
        return;
    }
    if (setting && setting[0] && strcmp(setting, "own") != 0) {
        log_warn("FLB4J_JVM_MALLOC is '%s': use own (the JVM's mallocs in a jemalloc arena of their own, the "
                 "default) or shared; using own", setting);
    }
    /* .../lib/server/libjvm.so: the JDK's libraries are under .../lib/ */
    char *real = realpath(libjvm_path, NULL);
    for (int i = 0; i < 2; i++) {
        snprintf(g_jdk_lib[i], sizeof(g_jdk_lib[i]), "%s", i == 0 ? libjvm_path : real ? real : "");
        for (int up = 0; up < 2 && g_jdk_lib[i][0]; up++) {
            char *slash = strrchr(g_jdk_lib[i], '/');
            if (slash) {
                *slash = '\0';
            } else {
                g_jdk_lib[i][0] = '\0';
            }
        }
        if (g_jdk_lib[i][0]) {
            strncat(g_jdk_lib[i], "/", sizeof(g_jdk_lib[i]) - strlen(g_jdk_lib[i]) - 1);
        }
    }
    free(real);
    if (!g_jdk_lib[0][0]) {
        return;
    }
    g_mallocx = (mallocx_fn) beside_malloc("mallocx");
    g_rallocx = (rallocx_fn) beside_malloc("rallocx");
    g_dallocx = (dallocx_fn) beside_malloc("dallocx");
    mallctl_fn mallctl = (mallctl_fn) beside_malloc("mallctl");
    if (!g_mallocx || !g_rallocx || !g_dallocx || !mallctl) {
        return; /* not jemalloc, or a prefixed one */
    }
    unsigned arena = 0;
    size_t len = sizeof(arena);
    if (mallctl("arenas.create", &arena, &len, NULL, 0) != 0) {
        log_info("the JVM's allocations stay in jemalloc's shared arenas: arenas.create failed");
        return;
    }
    /* Pages the JVM frees go back at once: nothing else allocates from this arena to reuse them. */
    ssize_t decay_ms = 0;
    char name[64];
    snprintf(name, sizeof(name), "arena.%u.dirty_decay_ms", arena);
    mallctl(name, NULL, NULL, &decay_ms, sizeof(decay_ms));
    g_mallctl = mallctl;
    g_arena = arena;
    g_flags = MALLOCX_ARENA(arena) | MALLOCX_TCACHE_NONE;
    int slots = route_imports();
    g_routed = slots > 0;
    if (verbose()) {
        log_info("the JVM's allocations: %d import slots under %s go to jemalloc arena %u, without thread caches",
                 slots, g_jdk_lib[0], arena);
    }
}

void jvm_malloc_route_loaded(void)
{
    int slots = g_routed ? route_imports() : 0;
    if (slots && verbose()) {
        log_info("the JVM's allocations: %d more import slots (the JDK's libraries loaded since) go to its arena", slots);
    }
}

long jvm_malloc_arena_kb(void)
{
    if (!g_routed) {
        return -1;
    }
    uint64_t epoch = 1;
    size_t len = sizeof(epoch);
    g_mallctl("epoch", &epoch, &len, &epoch, len);
    size_t small = 0, large = 0;
    char name[64];
    len = sizeof(size_t);
    snprintf(name, sizeof(name), "stats.arenas.%u.small.allocated", g_arena);
    if (g_mallctl(name, &small, &len, NULL, 0) != 0) {
        return -1;   /* a jemalloc built without statistics */
    }
    snprintf(name, sizeof(name), "stats.arenas.%u.large.allocated", g_arena);
    len = sizeof(size_t);
    if (g_mallctl(name, &large, &len, NULL, 0) != 0) {
        return -1;
    }
    return (long) ((small + large) / 1024);
}
