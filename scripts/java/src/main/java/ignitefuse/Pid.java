package ignitefuse;

import java.lang.management.ManagementFactory;

/** The JVM's pid without ProcessHandle (Java 9+), so the jar also runs on the Java 8 Docker image. */
final class Pid {
    private Pid() {}

    static String current() {
        String name = ManagementFactory.getRuntimeMXBean().getName();
        int at = name.indexOf('@');
        return at > 0 ? name.substring(0, at) : name;
    }
}
