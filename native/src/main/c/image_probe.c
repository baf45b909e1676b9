/*
 * The GraalVM engine's load check, run once at package time (never part of a plugin): loads the
 * native image as Fluent Bit will (dlopen, lazy binding, its own DT_NEEDED libraries with it) and
 * looks up each symbol named on the command line, the image's undefined ones, in the image and
 * its libraries and in this process (the C library every Fluent Bit has). Prints one line per
 * symbol nothing provides, "missing <name>", or "load-error <dlerror>" when the image does not
 * load at all; exit 0 either way, the caller reads the lines.
 *
 *   image_probe <image.so> <symbol>...
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: image_probe <image.so> <symbol>...\n");
        return 2;
    }
    void *image = dlopen(argv[1], RTLD_LAZY | RTLD_LOCAL);
    if (!image) {
        printf("load-error %s\n", dlerror());
    }
    for (int i = 2; i < argc; i++) {
        if (!dlsym(RTLD_DEFAULT, argv[i]) && !(image && dlsym(image, argv[i]))) {
            printf("missing %s\n", argv[i]);
        }
    }
    return 0;
}
