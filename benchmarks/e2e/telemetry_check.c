/*
 * Decodes every cmetrics or ctraces context of a file with Fluent Bit's own libraries and prints
 * each with the library's text encoder (telemetry-decode-check.sh builds it against a Fluent Bit
 * build's static libraries):  telemetry_check metrics|traces FILE
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmetrics/cmetrics.h>
#include <cmetrics/cmt_decode_msgpack.h>
#include <cmetrics/cmt_encode_text.h>
#include <ctraces/ctraces.h>
#include <ctraces/ctr_decode_msgpack.h>
#include <ctraces/ctr_encode_text.h>

/* One context at *off printed; the decoder's code (0 when it took the context). */
static int print_metrics(char *buf, size_t n, size_t *off)
{
    struct cmt *cmt = NULL;
    int rc = cmt_decode_msgpack_create(&cmt, buf, n, off);
    if (rc == 0) {
        cfl_sds_t text = cmt_encode_text_create(cmt);
        printf("%s", text);
        cmt_encode_text_destroy(text);
        cmt_destroy(cmt);
    }
    return rc;
}

static int print_traces(char *buf, size_t n, size_t *off)
{
    struct ctrace *ctr = NULL;
    int rc = ctr_decode_msgpack_create(&ctr, buf, n, off);
    if (rc == 0) {
        cfl_sds_t text = ctr_encode_text_create(ctr);
        printf("%s", text);
        ctr_encode_text_destroy(text);
        ctr_destroy(ctr);
    }
    return rc;
}

int main(int argc, char **argv)
{
    if (argc != 3 || (strcmp(argv[1], "metrics") != 0 && strcmp(argv[1], "traces") != 0)) {
        fprintf(stderr, "usage: telemetry_check metrics|traces FILE\n");
        return 2;
    }
    int (*print)(char *, size_t, size_t *) = strcmp(argv[1], "metrics") == 0 ? print_metrics : print_traces;
    FILE *f = fopen(argv[2], "rb");
    if (!f) {
        perror(argv[2]);
        return 2;
    }
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc(n);
    if (fread(buf, 1, n, f) != (size_t) n) {
        fprintf(stderr, "short read of %s\n", argv[2]);
        return 2;
    }
    fclose(f);
    cmt_initialize();
    size_t off = 0;
    int count = 0;
    while (off < (size_t) n) {
        printf("context %d:\n", ++count);
        int rc = print(buf, n, &off);
        if (rc != 0) {
            printf("decode error %d at offset %zu\n", rc, off);
            return 1;
        }
    }
    printf("contexts=%d\n", count);
    free(buf);
    return 0;
}
