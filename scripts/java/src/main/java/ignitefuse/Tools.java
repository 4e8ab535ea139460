package ignitefuse;

import java.io.File;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.util.Arrays;

/**
 * Entry point of the Java reference tools (scripts/ignite-java TOOL ARGS...). Results go to stdout (JSON
 * where noted); Ignite's own console output goes to the file named by -Dignitefuse.toolLog so that client
 * node start-up stays quiet. Exit 0 on success, 1 on a failed operation (one line on stderr), 2 on usage.
 */
public final class Tools {
    private Tools() {}

    static PrintStream out;
    static PrintStream err;

    public static void main(String[] args) throws Exception {
        out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, "UTF-8");
        err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, "UTF-8");
        String logPath = HarnessProps.str("toolLog", null);
        if (logPath != null) {
            new File(logPath).getAbsoluteFile().getParentFile().mkdirs();
            PrintStream log = new PrintStream(new FileOutputStream(logPath, true), true, "UTF-8");
            System.setOut(log);
            System.setErr(log);
        }
        if (args.length == 0) {
            usage();
            System.exit(2);
        }
        String tool = args[0];
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        int rc;
        try {
            switch (tool) {
                case "igfs-write":
                case "igfs-read":
                case "igfs-props":
                case "igfs-set-props":
                case "igfs-ls":
                case "igfs-mkdirs":
                case "igfs-rm":
                case "igfs-bench":
                    rc = IgfsTools.run(tool, rest);
                    break;
                case "scan-bench":
                case "thin-check":
                case "thin-put":
                    rc = ThinTools.run(tool, rest);
                    break;
                case "load-bytes":
                case "cluster-info":
                    rc = NodeTools.run(tool, rest);
                    break;
                case "hadoop-bench":
                    rc = HadoopBench.run(rest);
                    break;
                default:
                    usage();
                    rc = 2;
            }
        } catch (UsageException e) {
            err.println("ignite-java " + tool + ": " + e.getMessage());
            rc = 2;
        } catch (Throwable e) {
            err.println("ignite-java " + tool + ": " + describe(e));
            rc = 1;
        }
        out.flush();
        // Leave the topology at once rather than after the client failure-detection timeout.
        try {
            org.apache.ignite.Ignition.stopAll(true);
        } catch (Throwable ignored) {
            // Exiting anyway.
        }
        // Client nodes leave non-daemon threads behind; exit explicitly.
        Runtime.getRuntime().halt(rc);
    }

    static String describe(Throwable e) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (sb.length() > 0) sb.append(" <- ");
            sb.append(t.getClass().getName()).append(": ").append(t.getMessage());
            if (t.getCause() == t) break;
        }
        return sb.toString();
    }

    static void usage() {
        err.println(String.join("\n",
            "usage: scripts/ignite-java [--instance NAME] TOOL ARGS...",
            "  igfs-write IGFS_PATH LOCAL_FILE|-        igfs-read IGFS_PATH LOCAL_FILE|-",
            "  igfs-props IGFS_PATH (JSON)              igfs-set-props IGFS_PATH k=v ...",
            "  igfs-ls IGFS_PATH (JSON lines)           igfs-mkdirs IGFS_PATH     igfs-rm IGFS_PATH",
            "  igfs-bench write|read IGFS_PATH BYTES [BUFFER_BYTES]   (JSON)",
            "  hadoop-bench write|read IGFS_PATH BYTES [BUFFER_BYTES] (IgniteHadoopFileSystem, JSON)",
            "  load-bytes CACHE ROWS ROW_BYTES          cluster-info (JSON)",
            "  scan-bench CACHE [--page-size N]         thin-put CACHE KEY VALUE",
            "  thin-check [--ssl-dir DIR] [--keystore FILE] [--user U --password P]",
            "thin tools also take --user U --password P --ssl-dir DIR --keystore FILE (default client.p12)"));
    }

    static final class UsageException extends Exception {
        UsageException(String msg) {
            super(msg);
        }
    }

    static String json(String s) {
        if (s == null) return "null";
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"': sb.append("\\\""); break;
                case '\\': sb.append("\\\\"); break;
                case '\n': sb.append("\\n"); break;
                case '\r': sb.append("\\r"); break;
                case '\t': sb.append("\\t"); break;
                default:
                    if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
                    else sb.append(c);
            }
        }
        return sb.append('"').toString();
    }

    static String benchJson(String op, long bytes, double seconds, String extra) {
        double mbPerSec = seconds > 0 ? bytes / 1e6 / seconds : 0;
        return String.format(java.util.Locale.ROOT,
            "{\"op\":%s,\"bytes\":%d,\"seconds\":%.6f,\"mbPerSec\":%.3f%s}",
            json(op), bytes, seconds, mbPerSec, extra == null ? "" : "," + extra);
    }
}
