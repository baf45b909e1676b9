package io.flb4j.metrics;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The naming rules of plugin metrics, checked by the processor at compile time and by
 * the host's metrics at run time: Prometheus names, and the label every series carries first.
 */
public final class MetricNames {
    /** The label every series carries first: the instance's name. */
    public static final String INSTANCE_LABEL = "name";
    /** Metrics are named {@code fluentbit_<plugin>_<metric>}. */
    public static final String NAMESPACE = "fluentbit";

    private static final Pattern NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

    private MetricNames() {
    }

    /**
     * The subsystem part of a plugin's metric names: its name, with a {@code -} (which Fluent Bit
     * takes in a plugin name, Prometheus not in a metric name) as {@code _}. Plugin
     * {@code my-output} has metrics {@code fluentbit_my_output_<metric>}.
     */
    public static String subsystem(String pluginName) {
        return pluginName.replace('-', '_');
    }

    /** A plugin metric's name as Fluent Bit shows it: {@code fluentbit_<subsystem>_<metric>}. */
    public static String fullName(String pluginName, String metric) {
        return NAMESPACE + "_" + subsystem(pluginName) + "_" + metric;
    }

    /** What is wrong with a metric name, or empty. */
    public static Optional<String> nameProblem(String name) {
        return name != null && NAME.matcher(name).matches() ? Optional.empty()
                : Optional.of("metric names must match [a-zA-Z_][a-zA-Z0-9_]* (Prometheus rules)");
    }

    /** What is wrong with a label key a plugin declares, or empty. */
    public static Optional<String> labelProblem(String key) {
        if (key == null || !NAME.matcher(key).matches() || key.startsWith("__")) {
            return Optional.of("label key '" + key + "' must match [a-zA-Z_][a-zA-Z0-9_]* and not start with '__'");
        }
        if (key.equals(INSTANCE_LABEL)) {
            return Optional.of("label key '" + key + "' is the instance's name, which flb4j adds to every series; "
                    + "choose another label key");
        }
        return Optional.empty();
    }
}
