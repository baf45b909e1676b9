package io.flb4j.samples.jmx;

import io.flb4j.api.telemetry.MetricSet;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import javax.management.JMException;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;

/**
 * Turns the numeric attributes of the MBeans matching some ObjectName patterns into metrics:
 * {@code <prefix>_<type>_<attribute>} in snake case ({@code jmx_memory_heap_memory_usage_used}),
 * the MBean's key properties but {@code type} as labels, a composite attribute's numeric items
 * each as a metric of its own. Cumulative attributes ({@code Total…}, {@code CollectionCount},
 * {@code CollectionTime}, {@code UnloadedClassCount}) are counters, the rest gauges.
 */
final class MBeanReader {
    static final String DEFAULT_BEANS = "java.lang:type=Memory;java.lang:type=GarbageCollector,*;"
            + "java.lang:type=Threading;java.lang:type=ClassLoading;java.lang:type=OperatingSystem";
    private static final Pattern COUNTER = Pattern.compile("Total.*|CollectionCount|CollectionTime|UnloadedClassCount");
    private static final Pattern WORD = Pattern.compile("(?<=[a-z0-9])(?=[A-Z])|[^A-Za-z0-9]+");

    private final String prefix;
    private final List<ObjectName> patterns;

    MBeanReader(String prefix, String beans) {
        this.prefix = prefix;
        this.patterns = java.util.Arrays.stream(beans.split(";")).map(String::strip).filter(s -> !s.isEmpty())
                .map(MBeanReader::objectName).toList();
    }

    private static ObjectName objectName(String pattern) {
        try {
            return new ObjectName(pattern);
        } catch (JMException e) {
            throw new IllegalArgumentException("key 'beans': '" + pattern + "' is not an ObjectName pattern: "
                    + e.getMessage());
        }
    }

    /** Every numeric attribute the patterns match, added to {@code set}. */
    MetricSet read(MBeanServerConnection server, MetricSet.Builder set) throws IOException {
        for (ObjectName pattern : patterns) {
            for (ObjectName name : server.queryNames(pattern, null)) {
                readBean(server, name, set);
            }
        }
        return set.build();
    }

    private void readBean(MBeanServerConnection server, ObjectName name, MetricSet.Builder set) throws IOException {
        MBeanAttributeInfo[] attributes;
        try {
            attributes = server.getMBeanInfo(name).getAttributes();
        } catch (JMException e) {
            return;   // unregistered meanwhile
        }
        Map<String, String> labels = new LinkedHashMap<>(name.getKeyPropertyList());
        String type = labels.remove("type");
        String base = prefix + "_" + snake(type != null ? type : name.getDomain());
        for (MBeanAttributeInfo a : attributes) {
            if (!a.isReadable()) {
                continue;
            }
            Object value;
            try {
                value = server.getAttribute(name, a.getName());
            } catch (JMException | RuntimeException e) {
                continue;   // not available on this JVM (an optional operating system attribute, say)
            }
            try {
                add(set, base + "_" + snake(a.getName()), a.getName(), a.getDescription(), labels, value);
            } catch (IllegalArgumentException e) {
                // the same name with other labels or another type (two MBeans that disagree): the first one stays
            }
        }
    }

    private void add(MetricSet.Builder set, String metric, String attribute, String help, Map<String, String> labels,
                     Object value) {
        if (value instanceof Number n && !(value instanceof Double d && (d.isNaN() || d.isInfinite()))) {
            String text = help == null || help.isBlank() || help.equals(attribute) ? attribute : help;
            if (COUNTER.matcher(attribute).matches()) {
                set.counter(metric, text, labels, n.doubleValue());
            } else {
                set.gauge(metric, text, labels, n.doubleValue());
            }
        } else if (value instanceof Boolean b) {
            set.gauge(metric, attribute, labels, b ? 1 : 0);
        } else if (value instanceof CompositeData c) {
            for (String key : c.getCompositeType().keySet()) {
                add(set, metric + "_" + snake(key), key, attribute + " " + key, labels, c.get(key));
            }
        }
    }

    static String snake(String s) {
        return String.join("_", WORD.split(s)).toLowerCase(Locale.ROOT).replaceAll("^_+|_+$", "");
    }
}
