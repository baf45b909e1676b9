/*
 * For the test host's release emulation: a function that marks a Fluent Bit release, exported
 * as the fluent-bit executable of that release exports it. Built once per release with
 * -DFEATURE_4_0_3, -DFEATURE_4_2 or -DFEATURE_5_0 into <testhost>.features-<release>.so.
 */
#include <stddef.h>
#ifdef FEATURE_4_0_3
int flb_proxy_custom_cb_init(void *c_ins, void *config, void *data)
{
    (void) c_ins;
    (void) config;
    (void) data;
    return 0;
}

/* New in 4.0.0 with profiles; the shim tells by it who owns a traces context after an append. */
int flb_input_profiles_append(void *ins, const char *tag, size_t tag_len, void *profiles)
{
    (void) ins;
    (void) tag;
    (void) tag_len;
    (void) profiles;
    return -1;
}
#endif
#ifdef FEATURE_4_2
unsigned long flb_routes_mask_get_size(void *router)
{
    (void) router;
    return 1;
}
#endif
#ifdef FEATURE_5_0
int flb_input_ingress_enable(void *ins)
{
    (void) ins;
    return 0;
}
#endif
