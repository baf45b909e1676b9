/*
 * trim.c on its own (TrimTest compiles it with this file): what a pass counts, gives back and
 * never touches, and how the period moves. Prints one line per check; "ok" at the end.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "shim.h"

void log_info(const char *fmt, ...) { (void) fmt; }
void log_warn(const char *fmt, ...) { (void) fmt; }
void jvm_malloc_route_loaded(void) {}
long jvm_malloc_arena_kb(void) { return -1; }

static int failures;

static void check(int ok, const char *what, long got)
{
    printf("%s %s (%ld)\n", ok ? "pass" : "FAIL", what, got);
    failures += !ok;
}

#define PAGES 64L

/* dir/name: PAGES pages, page i filled with the byte 'a' + i % 26 */
static int make_file(const char *dir, const char *name, long page)
{
    char path[4096];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
    char *buf = malloc(page);
    for (long i = 0; i < PAGES; i++) {
        memset(buf, 'a' + (int) (i % 26), page);
        if (write(fd, buf, page) != page) {
            exit(2);
        }
    }
    free(buf);
    return fd;
}

static long touch(const volatile char *m, long page)
{
    long sum = 0;
    for (long i = 0; i < PAGES; i++) {
        sum += m[i * page];
    }
    return sum;
}

static long resident(const void *m, long page)
{
    /* mincore says whether the page cache holds a page, not whether this process maps it */
    int fd = open("/proc/self/pagemap", O_RDONLY);
    uint64_t e[PAGES];
    if (pread(fd, e, sizeof(e), (off_t) ((uintptr_t) m / page * 8)) != (ssize_t) sizeof(e)) {
        exit(3);
    }
    close(fd);
    long n = 0;
    for (long i = 0; i < PAGES; i++) {
        n += (e[i] >> 63) & 1;
    }
    return n;
}

static int contents_intact(const char *m, long page, long changed_page, char changed_to)
{
    for (long i = 0; i < PAGES; i++) {
        char want = i == changed_page ? changed_to : (char) ('a' + i % 26);
        if (m[i * page] != want || m[i * page + page - 1] != want) {
            return 0;
        }
    }
    return 1;
}

/* Linux 6.7 and later: a userfaultfd may write-protect any mapping asynchronously */
static int kernel_has_wp_async(void)
{
    struct utsname u;
    int major = 0, minor = 0;
    return uname(&u) == 0 && sscanf(u.release, "%d.%d", &major, &minor) == 2 && (major > 6 || (major == 6 && minor >= 7))
           && access("/proc/sys/vm/unprivileged_userfaultfd", F_OK) == 0;
}

/* Gives m's pages back, reads its whole file into the page cache and touches page 20 of m:
 * how many of m's pages are mapped then (fault-around maps the up-to-date ones around it). */
static long touch_one_after_give_back(const char *dir, const char *m, int fd, long page)
{
    trim_pass(dir, 1);
    char *buf = malloc(PAGES * page);
    if (pread(fd, buf, PAGES * page, 0) != PAGES * page) {
        exit(4);
    }
    free(buf);
    volatile char c = m[20 * page];
    (void) c;
    return resident(m, page);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        return 2;
    }
    const char *dir = argv[1];
    long page = sysconf(_SC_PAGESIZE);
    int text_fd = make_file(dir, "text.bin", page);
    int relro_fd = make_file(dir, "relro.bin", page);
    int image_fd = make_file(dir, "image.bin", page);
    int data_fd = make_file(dir, "data.bin", page);
    /* code: r-xp; relocated read-only data: r--p with a page written before mprotect; the module
     * image: r--s; writable data: rw-p */
    char *text = mmap(NULL, PAGES * page, PROT_READ | PROT_EXEC, MAP_PRIVATE, text_fd, 0);
    char *relro = mmap(NULL, PAGES * page, PROT_READ | PROT_WRITE, MAP_PRIVATE, relro_fd, 0);
    char *image = mmap(NULL, PAGES * page, PROT_READ, MAP_SHARED, image_fd, 0);
    char *data = mmap(NULL, PAGES * page, PROT_READ | PROT_WRITE, MAP_PRIVATE, data_fd, 0);
    touch(text, page);
    touch(relro, page);
    memset(relro + 5 * page, 'R', page);
    mprotect(relro, PAGES * page, PROT_READ);
    touch(image, page);
    touch(data, page);

    long counted = trim_pass(dir, LONG_MAX);
    check(counted == 2 * PAGES, "a pass counts the clean read-only pages only (code and image)", counted);
    check(resident(text, page) == PAGES && resident(image, page) == PAGES, "counting gives nothing back",
          resident(text, page) + resident(image, page));
    long below = trim_pass(dir, 2 * PAGES + 1);
    check(below == 2 * PAGES && resident(text, page) == PAGES && resident(image, page) == PAGES,
          "fewer pages than it gives back from: a pass gives nothing back", below);
    long given = trim_pass(dir, 1);
    check(given == 2 * PAGES, "a pass gives back what it counted", given);
    check(resident(text, page) == 0, "the code's pages are no longer mapped", resident(text, page));
    check(resident(image, page) == 0, "the image's pages are no longer mapped", resident(image, page));
    check(resident(relro, page) == PAGES, "a read-only mapping with a written page is left whole", resident(relro, page));
    check(resident(data, page) == PAGES, "a writable mapping is left whole", resident(data, page));
    check(contents_intact(relro, page, 5, 'R'), "the written page keeps what was written", 0);
    check(contents_intact(text, page, -1, 0) && contents_intact(image, page, -1, 0),
          "what was given back reads the same again", 0);
    check(trim_pass(dir, LONG_MAX) == 2 * PAGES, "and is counted again once touched", trim_pass(dir, LONG_MAX));
    check(trim_pass("/nonexistent-flb4j", LONG_MAX) == 0, "no mapping under a folder: nothing", 0);

    long around = touch_one_after_give_back(dir, text, text_fd, page);
    check(around > 1, "without a userfaultfd, one fault maps the pages around it", around);
    const char *why = "";
    int uffd = trim_one_page_faults_open(&why);
    int expected = kernel_has_wp_async();
    check((uffd >= 0) == expected, expected ? "this kernel gives a userfaultfd for one-page faults"
          : "this kernel gives no userfaultfd for one-page faults", uffd);
    long registered = trim_one_page_faults(uffd, dir);
    check(expected ? registered == 2 : registered == -1,
          "the private read-only mappings are registered (code and relocated data), not the shared or writable", registered);
    long one = touch_one_after_give_back(dir, text, text_fd, page);
    check(expected ? one == 1 : one == around, "registered, one fault maps one page", one);
    check(contents_intact(text, page, -1, 0), "and the code reads the same", 0);
    mprotect(relro, PAGES * page, PROT_READ | PROT_WRITE);
    relro[7 * page] = 'W';
    check(relro[7 * page] == 'W' && relro[8 * page - 1] == 'a' + 7 && relro[5 * page] == 'R',
          "a registered mapping made writable takes a write (copy on write)", 0);

    long first = 5000;
    check(trim_next_period(first, first, 0, 500) == first, "nothing given back: the period stays", 0);
    check(trim_next_period(first, first, 1000, 800) == 2 * first, "most came back: the period doubles",
          trim_next_period(first, first, 1000, 800));
    check(trim_next_period(640000, first, 1000, 1000) == 640000, "up to ten minutes and some", 0);
    check(trim_next_period(20000, first, 1000, 100) == 10000, "most stayed away: the period halves",
          trim_next_period(20000, first, 1000, 100));
    check(trim_next_period(first, first, 1000, 0) == first, "never below the first", 0);
    printf("%s\n", failures ? "failed" : "ok");
    return failures != 0;
}
