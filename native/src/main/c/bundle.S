/* The plugin bundle inside the .so (the jar, or the native image); FLB4J_BUNDLE_FILE is set by the build. */
#include "flb4j_plugin.h"
    .section .rodata
    .balign 16
    .globl flb4j_bundle_start
    .hidden flb4j_bundle_start
    .globl flb4j_bundle_end
    .hidden flb4j_bundle_end
flb4j_bundle_start:
    .incbin FLB4J_BUNDLE_FILE
flb4j_bundle_end:
    .section .note.GNU-stack,"",@progbits
