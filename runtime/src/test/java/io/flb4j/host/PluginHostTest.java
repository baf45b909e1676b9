package io.flb4j.host;

import static com.google.common.truth.Truth.assertThat;

import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

class PluginHostTest {
    /** A port still held (a previous generation's server not stopped in close()) is named as the likely cause. */
    @Test
    void anInitThatCannotBindSaysWhatAReloadLeavesBehind() throws Exception {
        try (ServerSocket held = new ServerSocket()) {
            held.bind(new InetSocketAddress("127.0.0.1", 0));
            BindException bind = null;
            try (ServerSocket second = new ServerSocket()) {
                second.bind(held.getLocalSocketAddress());
            } catch (BindException e) {
                bind = e;
            }
            assertThat(bind).isNotNull();
            assertThat(PluginHost.bindHint(new UncheckedIOException(bind))).contains(
                    "a server the plugin starts in init and does not stop in close() still holds the address");
        }
        assertThat(PluginHost.bindHint(new IllegalStateException("other"))).isEmpty();
    }
}
