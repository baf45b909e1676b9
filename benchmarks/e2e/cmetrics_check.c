#include <stdio.h>
#include <stdlib.h>
#include <cmetrics/cmetrics.h>
#include <cmetrics/cmt_decode_msgpack.h>
#include <cmetrics/cmt_encode_text.h>
int main(int argc, char **argv) {
    FILE *f = fopen(argv[1], "rb"); fseek(f, 0, SEEK_END); long n = ftell(f); fseek(f, 0, SEEK_SET);
    char *buf = malloc(n); fread(buf, 1, n, f); fclose(f);
    size_t off = 0; int count = 0;
    cmt_initialize();
    while (off < (size_t) n) {
        struct cmt *cmt = NULL;
        int rc = cmt_decode_msgpack_create(&cmt, buf, n, &off);
        if (rc != 0) { printf("decode error %d at offset %zu\n", rc, off); return 1; }
        cfl_sds_t text = cmt_encode_text_create(cmt);
        printf("context %d:\n%s", ++count, text);
        cmt_encode_text_destroy(text);
        cmt_destroy(cmt);
    }
    printf("contexts=%d\n", count);
    return 0;
}
