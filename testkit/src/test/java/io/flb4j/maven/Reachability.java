package io.flb4j.maven;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;
import java.util.stream.Stream;

/**
 * A call graph over class files, read with {@code javap -c -v}: which methods are reachable from
 * a set of roots, and which methods outside the analysed classes (the JDK's) they call. Virtual
 * and interface calls follow rapid type analysis: a call reaches every analysed method of that
 * name and descriptor declared in a class that reached code instantiates, or in one of its
 * superclasses. Otherwise it errs on the side of reaching too much: a class's static
 * initializer is reached with any of its methods, and an {@code invokedynamic} reaches every
 * method handle in its class's constant pool (lambda bodies and method references).
 */
final class Reachability {
    private static final Pattern THIS_CLASS = Pattern.compile("^\\s*this_class: #\\d+\\s*// (\\S+)");
    private static final Pattern METHOD = Pattern.compile(
            "^  (?:[\\w$.<>\\[\\],? ]+ )?([\\w$.]+)\\(.*\\)(?: throws [\\w$., ]+)?;$");
    private static final Pattern DESCRIPTOR = Pattern.compile("^    descriptor: (\\S+)");
    private static final Pattern INVOKE = Pattern.compile(
            "\\binvoke(virtual|static|special|interface)\\b.*// (?:Interface)?Method (?:(\\S+?)\\.)?(\"?[\\w$<>]+\"?):(\\S+)");
    private static final Pattern SUPER = Pattern.compile("^\\s*super_class: #\\d+\\s*// (\\S+)");
    private static final Pattern NEW = Pattern.compile("\\bnew\\s+#\\d+\\s*// class (\\S+)");
    private static final Pattern HANDLE = Pattern.compile("= MethodHandle .*// REF_\\w+ (\\S+?)\\.(\"?[\\w$<>]+\"?):(\\S+)");

    /** owner/name:descriptor of every analysed method, and what its code calls. */
    private final Map<String, List<String>> calls = new HashMap<>();
    private final Map<String, Set<String>> handlesOfClass = new HashMap<>();
    private final Map<String, Set<String>> methodsByNameAndDescriptor = new HashMap<>();
    private final Set<String> classes = new HashSet<>();
    private final Set<String> indy = new HashSet<>();
    private final Map<String, String> supers = new HashMap<>();
    private final Map<String, List<String>> instantiates = new HashMap<>();

    /** Reads every class in {@code roots} (directories of classes, or jars). */
    static Reachability of(List<Path> roots) throws IOException {
        Reachability r = new Reachability();
        for (Path root : roots) {
            List<String> names = classNames(root);
            for (int i = 0; i < names.size(); i += 200) {
                r.read(root, names.subList(i, Math.min(names.size(), i + 200)));
            }
        }
        return r;
    }

    private static List<String> classNames(Path root) throws IOException {
        List<String> names = new ArrayList<>();
        if (Files.isDirectory(root)) {
            try (Stream<Path> files = Files.walk(root)) {
                files.filter(f -> f.toString().endsWith(".class")).forEach(f -> names.add(name(root.relativize(f).toString())));
            }
        } else {
            try (JarFile jar = new JarFile(root.toFile())) {
                jar.stream().map(e -> e.getName())
                        .filter(n -> n.endsWith(".class") && !n.startsWith("META-INF/") && !n.endsWith("module-info.class"))
                        .forEach(n -> names.add(name(n)));
            }
        }
        return names;
    }

    private static String name(String file) {
        return file.substring(0, file.length() - ".class".length()).replace('/', '.');
    }

    private void read(Path root, List<String> names) {
        ToolProvider javap = ToolProvider.findFirst("javap").orElseThrow();
        StringWriter out = new StringWriter();
        List<String> args = new ArrayList<>(List.of("-c", "-v", "-p", "-cp", root.toString()));
        args.addAll(names);
        if (javap.run(new PrintWriter(out), new PrintWriter(new StringWriter()), args.toArray(String[]::new)) != 0) {
            throw new UncheckedIOException(new IOException("javap failed on " + root));
        }
        String owner = null;
        String method = null;
        String pendingName = null;
        for (String line : out.toString().split("\n")) {
            Matcher m;
            if ((m = THIS_CLASS.matcher(line)).find()) {
                owner = m.group(1);
                classes.add(owner);
                method = null;
            } else if (line.equals("  static {};")) {
                pendingName = "<clinit>";
            } else if ((m = METHOD.matcher(line)).matches()) {
                String n = m.group(1);
                pendingName = n.replace('.', '/').equals(owner) ? "<init>" : n.substring(n.lastIndexOf('.') + 1);
            } else if (pendingName != null && (m = DESCRIPTOR.matcher(line)).find()) {
                method = owner + "." + pendingName + ":" + m.group(1);
                calls.put(method, new ArrayList<>());
                methodsByNameAndDescriptor.computeIfAbsent(pendingName + ":" + m.group(1), k -> new HashSet<>()).add(method);
                pendingName = null;
            } else if ((m = SUPER.matcher(line)).find()) {
                supers.put(owner, m.group(1));
            } else if (method != null && (m = NEW.matcher(line)).find()) {
                instantiates.computeIfAbsent(method, k -> new ArrayList<>()).add(m.group(1));
            } else if ((m = HANDLE.matcher(line)).find()) {
                handlesOfClass.computeIfAbsent(owner, k -> new HashSet<>())
                        .add(m.group(1) + "." + m.group(2).replace("\"", "") + ":" + m.group(3));
            } else if (method != null && (m = INVOKE.matcher(line)).find()) {
                String target = (m.group(2) == null ? owner : m.group(2)) + "." + m.group(3).replace("\"", "") + ":" + m.group(4);
                calls.get(method).add((m.group(1).equals("virtual") || m.group(1).equals("interface") ? "*" : "") + target);
            } else if (method != null && line.contains("invokedynamic")) {
                indy.add(method);
            }
        }
    }

    /**
     * Every method outside the analysed classes that code reachable from the methods of
     * {@code rootClass} calls, as {@code owner.name:descriptor}.
     */
    Set<String> externalCallsFrom(String rootClass) {
        return walk(rootClass).keySet().stream().filter(m -> !calls.containsKey(m))
                .collect(java.util.stream.Collectors.toCollection(TreeSet::new));
    }

    /** Every analysed method reachable from the methods of {@code rootClass}. */
    Set<String> methodsReachedFrom(String rootClass) {
        return walk(rootClass).keySet().stream().filter(calls::containsKey)
                .collect(java.util.stream.Collectors.toCollection(TreeSet::new));
    }

    /** How {@code target} (a method, as in {@link #externalCallsFrom}) is reached from {@code rootClass}. */
    List<String> pathTo(String rootClass, String target) {
        Map<String, String> parents = walk(rootClass);
        List<String> path = new ArrayList<>();
        for (String m = target; m != null && path.size() < 100; m = parents.get(m)) {
            path.add(0, m);
        }
        return path;
    }

    /** Every method reached (analysed or external), with the method that reached it first. */
    private Map<String, String> walk(String rootClass) {
        String root = rootClass.replace('.', '/');
        Deque<String> work = new ArrayDeque<>();
        Map<String, String> parents = new HashMap<>();
        Set<String> live = new HashSet<>();
        Map<String, String> virtualSignatures = new HashMap<>();   // name:descriptor -> first caller
        calls.keySet().stream().filter(k -> k.startsWith(root + ".")).forEach(k -> {
            parents.put(k, null);
            work.add(k);
        });
        while (!work.isEmpty()) {
            String m = work.pop();
            String owner = m.substring(0, m.indexOf('.'));
            reach(work, parents, m, owner + ".<clinit>:()V");
            if (indy.contains(m)) {
                handlesOfClass.getOrDefault(owner, Set.of()).forEach(h -> reach(work, parents, m, h));
            }
            for (String created : instantiates.getOrDefault(m, List.of())) {
                for (String c = created; c != null && classes.contains(c) && live.add(c); c = supers.get(c)) {
                    for (Map.Entry<String, String> v : virtualSignatures.entrySet()) {
                        reach(work, parents, v.getValue(), c + "." + v.getKey());
                    }
                }
            }
            for (String target : calls.getOrDefault(m, List.of())) {
                if (target.startsWith("*")) {
                    String t = target.substring(1);
                    String signature = t.substring(t.indexOf('.') + 1);
                    reach(work, parents, m, t);
                    virtualSignatures.putIfAbsent(signature, m);
                    for (String impl : methodsByNameAndDescriptor.getOrDefault(signature, Set.of())) {
                        if (live.contains(impl.substring(0, impl.indexOf('.')))) {
                            reach(work, parents, m, impl);
                        }
                    }
                } else {
                    reach(work, parents, m, target);
                }
            }
        }
        return parents;
    }

    private void reach(Deque<String> work, Map<String, String> parents, String from, String target) {
        String owner = target.substring(0, target.indexOf('.'));
        if (classes.contains(owner) && !calls.containsKey(target)) {
            return;   // inherited from a JDK class, or a static initializer that does not exist
        }
        if (!parents.containsKey(target)) {
            parents.put(target, from);
            if (calls.containsKey(target)) {
                work.add(target);
            }
        }
    }
}
