/*
 * The embedded bundle, in sealed memory: the plugin jar (JVM engine) or the native image
 * (GraalVM engine), whose bytes bundle.S placed in the .so.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "shim.h"

extern const char flb4j_bundle_start[];
extern const char flb4j_bundle_end[];

/*
 * The bundle is never read from a file someone else could have written: its bytes go into an
 * anonymous memfd that is then sealed against any change, and the engine opens that memfd
 * through /proc/self/fd (the class loader reads the jar; dlopen maps the image). Nothing touches the disk; one memfd serves every generation.
 */
const char *bundle_path(void)
{
    static char path[64];
    if (path[0]) {
        return path;
    }
    int fd = memfd_create("flb4j-" FLB4J_PLUGIN_NAME, MFD_CLOEXEC | MFD_ALLOW_SEALING);
    if (fd < 0) {
        log_error("cannot hold the plugin bundle in memory (memfd_create: %s); Linux 3.17 or later is needed",
                  strerror(errno));
        return NULL;
    }
    size_t length = (size_t) (flb4j_bundle_end - flb4j_bundle_start);
    for (size_t done = 0; done < length;) {
        ssize_t n = write(fd, flb4j_bundle_start + done, length - done);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            log_error("cannot write the plugin bundle to memory: %s", strerror(errno));
            close(fd);
            return NULL;
        }
        done += (size_t) n;
    }
    if (fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL) != 0) {
        log_error("cannot seal the plugin bundle: %s", strerror(errno));
        close(fd);
        return NULL;
    }
    snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
    return path;
}
