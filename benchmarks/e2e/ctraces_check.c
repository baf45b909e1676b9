#include <stdio.h>
#include <stdlib.h>
#include <ctraces/ctraces.h>
#include <ctraces/ctr_decode_msgpack.h>
#include <ctraces/ctr_encode_text.h>
int main(int argc, char **argv) {
    FILE *f = fopen(argv[1], "rb"); fseek(f, 0, SEEK_END); long n = ftell(f); fseek(f, 0, SEEK_SET);
    char *buf = malloc(n); fread(buf, 1, n, f); fclose(f);
    size_t off = 0; int count = 0;
    while (off < (size_t) n) {
        struct ctrace *ctr = NULL;
        int rc = ctr_decode_msgpack_create(&ctr, buf, n, &off);
        if (rc != 0) { printf("decode error %d at offset %zu\n", rc, off); return 1; }
        cfl_sds_t text = ctr_encode_text_create(ctr);
        printf("context %d:\n%s", ++count, text);
        ctr_encode_text_destroy(text);
        ctr_destroy(ctr);
    }
    printf("contexts=%d\n", count);
    return 0;
}
