package io.flb4j.samples.jmx;

/** A JVM to read: started by the test with remote JMX on 127.0.0.1, it only waits. */
public final class Target {
    private Target() {}

    public static void main(String[] args) throws InterruptedException {
        System.out.println("target up");
        Thread.sleep(Long.MAX_VALUE);
    }
}
