package io.flb4j.slf4j;

import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.NOPMDCAdapter;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * The SLF4J 2 provider of a plugin: with {@code io.flb4j:flb4j-slf4j} on the plugin's class
 * path, SLF4J finds it (it is the one provider in the plugin's bundle) and every library's
 * {@code LoggerFactory.getLogger(...)} writes to Fluent Bit's log through {@link FluentBitLogger}.
 * MDC is not kept (Fluent Bit's log has no place for it).
 */
public final class FluentBitServiceProvider implements SLF4JServiceProvider {
    /** The SLF4J API version this provider was built for. */
    public static final String REQUESTED_API_VERSION = "2.0.99";

    private final FluentBitLoggerFactory loggers = new FluentBitLoggerFactory();
    private final IMarkerFactory markers = new BasicMarkerFactory();
    private final MDCAdapter mdc = new NOPMDCAdapter();

    @Override
    public ILoggerFactory getLoggerFactory() {
        return loggers;
    }

    @Override
    public IMarkerFactory getMarkerFactory() {
        return markers;
    }

    @Override
    public MDCAdapter getMDCAdapter() {
        return mdc;
    }

    @Override
    public String getRequestedApiVersion() {
        return REQUESTED_API_VERSION;
    }

    @Override
    public void initialize() {
    }
}
