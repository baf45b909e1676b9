package io.flb4j.engine.jvm;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code java.util.Timer}s an ended generation left running. A timer's thread runs only the JDK's
 * code and ignores interrupts; with a periodic task it never ends, and its queue holds the
 * generation's tasks, so the generation stays in memory and the thread stays with it. At the end
 * of a generation flb4j cancels each timer whose thread the generation started (its context class
 * loader is the generation's) or whose queue holds a task of the generation's classes, as
 * {@code Timer.cancel()} does: its tasks are dropped and its thread ends. The timer's fields are
 * read through {@link JdkFields} ({@code java.util} opened when first needed).
 */
final class GenerationTimers {
    private GenerationTimers() {}

    /** Cancels the generation's timers; returns one phrase per timer, naming its thread. */
    static List<String> cancel(ClassLoader loader) {
        List<String> cancelled = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (!t.getClass().getName().equals("java.util.TimerThread")) {
                continue;
            }
            try {
                Object queue = JdkFields.read(t, "queue");
                synchronized (queue) {   // the timer's own lock for its queue and its flag
                    int size = (int) JdkFields.read(queue, "size");
                    if (!ours(t, (Object[]) JdkFields.read(queue, "queue"), size, loader)) {
                        continue;
                    }
                    Field open = t.getClass().getDeclaredField("newTasksMayBeScheduled");
                    Method clear = queue.getClass().getDeclaredMethod("clear");
                    if (!JdkFields.accessible(open) || !JdkFields.accessible(clear)) {
                        continue;
                    }
                    open.setBoolean(t, false);
                    clear.invoke(queue);
                    queue.notifyAll();
                    cancelled.add("'" + t.getName() + "' (java.util.Timer, " + size + " task(s) dropped)");
                }
            } catch (ReflectiveOperationException | RuntimeException e) {
                // Another JDK's layout: left running, and named in the leak report if it holds the generation.
            }
        }
        return cancelled;
    }

    /** Whether the timer of thread {@code t}, with {@code size} tasks in its heap (from index 1), is the generation's. */
    private static boolean ours(Thread t, Object[] tasks, int size, ClassLoader loader) {
        if (t.getContextClassLoader() == loader) {
            return true;
        }
        for (int i = 1; i <= size && i < tasks.length; i++) {
            if (tasks[i] != null && tasks[i].getClass().getClassLoader() == loader) {
                return true;
            }
        }
        return false;
    }
}
