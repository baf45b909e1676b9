/*
 * The Fluent Bit plugin-proxy ABI, as a plugin .so sees it, in its latest layout (5.1.1).
 * Only what flb4j uses; x86-64 offsets are asserted below. Older releases allocate shorter
 * structs: the *_SIZE_* macros give each release's length (checked in the tags' sources), and
 * the shim touches no field past the shortest unless the release is known to have it.
 */
#ifndef FLB4J_ABI_H
#define FLB4J_ABI_H

#include <stddef.h>
#include <stdint.h>

#define FLB_ERROR 0
#define FLB_OK    1
#define FLB_RETRY 2

#define FLB_PROXY_INPUT_PLUGIN  1
#define FLB_PROXY_OUTPUT_PLUGIN 2
#define FLB_PROXY_CUSTOM_PLUGIN 3
#define FLB_PROXY_GOLANG        11

struct flb_plugin_proxy_def {
    int type;
    int proxy;
    int flags;
    char *name;
    char *description;
    int event_type;
    void *config_map;
};

/* struct flb_config_map of 5.1.1, the layout proxy plugins hand over in def->config_map. */
#define FLB_CONFIG_MAP_STR    0
#define FLB_CONFIG_MAP_INT    2
#define FLB_CONFIG_MAP_BOOL   3
#define FLB_CONFIG_MAP_DOUBLE 4
#define FLB_CONFIG_MAP_SIZE   5
#define FLB_CONFIG_MAP_TIME   6
#define FLB_CONFIG_MAP_CLIST  30
struct flb_config_map {
    int type;
    char *name;
    char *def_value;
    int flags;
    int set_property;
    uintptr_t offset;
    char *desc;
    char value[40];          /* struct flb_config_map_val: Fluent Bit's, in its own copies */
    void *head[2];           /* struct mk_list _head */
};

struct flb_api {
    char *(*output_get_property)(char *, void *);
    char *(*input_get_property)(char *, void *);
    void *(*output_get_cmt_instance)(void *);
    void *(*input_get_cmt_instance)(void *);
    void (*log_print)(int, const char *, int, const char *, ...);
    int (*input_log_check)(void *, int);
    int (*output_log_check)(void *, int);
    char *(*custom_get_property)(char *, void *);
    int (*custom_log_check)(void *, int);
};

/* Output and custom plugins: the context Fluent Bit hands back to the Ctx callbacks. */
struct flb_plugin_proxy_context {
    void *remote_context;
    void *proxy;
};

struct flb_plugin_input_proxy_context {
    int coll_fd;
    void *remote_context;
    void *proxy;
};

/* The Init argument; one struct per plugin, overwritten at each instance's Init. */
struct flbgo_plugin {
    char *name;
    struct flb_api *api;
    void *instance;   /* o_ins, i_ins or c_ins */
    void *context;    /* flb_plugin_proxy_context or flb_plugin_input_proxy_context */
};

/* struct mk_event (lib/monkey's mk_event.h), the same in every release from 2.2 to 5.1: what a
 * custom event registered on a Fluent Bit event loop is. The loop hands the handler its address. */
struct mk_event {
    int fd;
    int type;
    uint32_t mask;
    uint8_t status;
    void *data;
    int (*handler)(void *event);
    void *head[2];            /* struct mk_list _head */
    void *priority_head[2];   /* struct mk_list _priority_head */
    char priority;
};

#define MK_EVENT_READ 1
#define MK_EVENT_CUSTOM 4       /* FLB_ENGINE_EV_CUSTOM: both loops call its handler */
#define MK_EVENT_REGISTERED 2

/* sizeof(struct flb_plugin_proxy_def): 2.2-4.2.2 end at description; 4.2.3 adds event_type;
 * 5.1.1 adds config_map. */
#define FLB_PROXY_DEF_SIZE_2_2 offsetof(struct flb_plugin_proxy_def, event_type)
#define FLB_PROXY_DEF_SIZE_5_0 offsetof(struct flb_plugin_proxy_def, config_map)
#define FLB_PROXY_DEF_SIZE_5_1_1 sizeof(struct flb_plugin_proxy_def)
/* sizeof(struct flb_api): custom_get_property and custom_log_check arrived in 4.0.3. */
#define FLB_API_SIZE_2_2 offsetof(struct flb_api, custom_get_property)
#define FLB_API_SIZE_4_2 sizeof(struct flb_api)

_Static_assert(offsetof(struct flb_plugin_proxy_def, name) == 16, "def.name");
_Static_assert(offsetof(struct flb_plugin_proxy_def, description) == 24, "def.description");
_Static_assert(offsetof(struct flb_plugin_proxy_def, event_type) == 32, "def.event_type");
_Static_assert(offsetof(struct flb_plugin_proxy_def, config_map) == 40, "def.config_map");
_Static_assert(offsetof(struct flb_api, log_print) == 32, "api.log_print");
_Static_assert(offsetof(struct flb_config_map, offset) == 32 && offsetof(struct flb_config_map, desc) == 40
               && sizeof(struct flb_config_map) == 104, "config_map");
_Static_assert(offsetof(struct flb_api, custom_log_check) == 64, "api.custom_log_check");
_Static_assert(FLB_PROXY_DEF_SIZE_2_2 == 32 && FLB_PROXY_DEF_SIZE_5_0 == 40 && FLB_PROXY_DEF_SIZE_5_1_1 == 48, "def sizes");
_Static_assert(FLB_API_SIZE_2_2 == 56 && FLB_API_SIZE_4_2 == 72, "api sizes");
_Static_assert(offsetof(struct flbgo_plugin, context) == 24, "plugin.context");
_Static_assert(offsetof(struct mk_event, handler) == 24 && sizeof(struct mk_event) == 72, "mk_event");
_Static_assert(offsetof(struct flb_plugin_input_proxy_context, remote_context) == 8, "input ctx");

#endif
