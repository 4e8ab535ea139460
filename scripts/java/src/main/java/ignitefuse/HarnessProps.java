package ignitefuse;

/**
 * Reads the harness settings from system properties (-Dignitefuse.*). scripts/ignite and
 * scripts/ignite-java set them; docker/ sets them through JVM_OPTS. One place so the node launcher,
 * the client tools and the Docker image build the configuration from the same names.
 */
final class HarnessProps {
    private HarnessProps() {}

    static String str(String name, String dflt) {
        String v = System.getProperty("ignitefuse." + name);
        return v == null || v.isEmpty() ? dflt : v;
    }

    static String required(String name) {
        String v = str(name, null);
        if (v == null) throw new IllegalArgumentException("missing -Dignitefuse." + name);
        return v;
    }

    static int integer(String name, int dflt) {
        String v = str(name, null);
        return v == null ? dflt : Integer.parseInt(v.trim());
    }

    static long longValue(String name, long dflt) {
        String v = str(name, null);
        return v == null ? dflt : Long.parseLong(v.trim());
    }

    static boolean bool(String name) {
        return Boolean.parseBoolean(str(name, "false"));
    }
}
