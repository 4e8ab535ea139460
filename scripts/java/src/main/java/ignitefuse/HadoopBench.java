package ignitefuse;

/** Placeholder until the IgniteHadoopFileSystem benchmark is wired (see scripts/ignite-java --help). */
final class HadoopBench {
    private HadoopBench() {}

    static int run(String[] a) {
        Tools.err.println("ignite-java hadoop-bench: not available in this build");
        return 1;
    }
}
