package ignitefuse;

import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteFileSystem;
import org.apache.ignite.igfs.IgfsFile;
import org.apache.ignite.igfs.IgfsPath;

/** IGFS tools over Ignite's own IgniteFileSystem API from a client node: the reference reader/writer. */
final class IgfsTools {
    private IgfsTools() {}

    static int run(String tool, String[] a) throws Exception {
        switch (tool) {
            case "igfs-write": need(a, 2, "IGFS_PATH LOCAL_FILE|-"); break;
            case "igfs-read": need(a, 2, "IGFS_PATH LOCAL_FILE|-"); break;
            case "igfs-props": need(a, 1, "IGFS_PATH"); break;
            case "igfs-set-props": need(a, 2, "IGFS_PATH k=v ..."); break;
            case "igfs-ls": need(a, 1, "IGFS_PATH"); break;
            case "igfs-mkdirs": need(a, 1, "IGFS_PATH"); break;
            case "igfs-rm": need(a, 1, "IGFS_PATH"); break;
            case "igfs-bench": need(a, 3, "write|read IGFS_PATH BYTES [BUFFER_BYTES]"); break;
            default: throw new Tools.UsageException("unknown tool");
        }
        Ignite ignite = ClientNode.start();
        IgniteFileSystem fs = ignite.fileSystem(HarnessProps.str("igfsName", "igfs"));
        IgfsPath path = new IgfsPath(a[0].equals("write") || a[0].equals("read") ? a[1] : a[0]);
        switch (tool) {
            case "igfs-write": {
                long n = 0;
                try (InputStream in = a[1].equals("-") ? System.in : new FileInputStream(a[1]);
                     OutputStream os = fs.create(path, true)) {
                    byte[] buf = new byte[1 << 20];
                    for (int r; (r = in.read(buf)) > 0; n += r) os.write(buf, 0, r);
                }
                // What the server now holds, so a caller needs no second JVM to check it.
                IgfsFile written = fs.info(path);
                Tools.out.println("{\"path\":" + Tools.json(path.toString()) + ",\"bytes\":" + n
                    + ",\"length\":" + (written == null ? -1 : written.length()) + "}");
                return 0;
            }
            case "igfs-read": {
                try (InputStream in = fs.open(path);
                     OutputStream os = a[1].equals("-") ? Tools.out : new FileOutputStream(a[1])) {
                    byte[] buf = new byte[1 << 20];
                    for (int r; (r = in.read(buf)) > 0; ) os.write(buf, 0, r);
                    os.flush();
                }
                return 0;
            }
            case "igfs-props": {
                IgfsFile f = fs.info(path);
                if (f == null) {
                    Tools.err.println("ignite-java igfs-props: no such path: " + path);
                    return 1;
                }
                Tools.out.println(fileJson(f));
                return 0;
            }
            case "igfs-set-props": {
                Map<String, String> props = new LinkedHashMap<>();
                for (int i = 1; i < a.length; i++) {
                    int eq = a[i].indexOf('=');
                    if (eq <= 0) throw new Tools.UsageException("expected k=v, got " + a[i]);
                    props.put(a[i].substring(0, eq), a[i].substring(eq + 1));
                }
                IgfsFile f = fs.update(path, props);
                if (f == null) {
                    Tools.err.println("ignite-java igfs-set-props: no such path: " + path);
                    return 1;
                }
                Tools.out.println(fileJson(f));
                return 0;
            }
            case "igfs-ls": {
                List<IgfsFile> files = new ArrayList<>(fs.listFiles(path));
                files.sort(Comparator.comparing(f -> f.path().name()));
                for (IgfsFile f : files) Tools.out.println(fileJson(f));
                return 0;
            }
            case "igfs-mkdirs":
                fs.mkdirs(path);
                return 0;
            case "igfs-rm":
                if (!fs.delete(path, true)) {
                    Tools.err.println("ignite-java igfs-rm: no such path: " + path);
                    return 1;
                }
                return 0;
            case "igfs-bench":
                return bench(fs, a[0], path, Long.parseLong(a[2]), a.length > 3 ? Integer.parseInt(a[3]) : 1 << 20);
            default:
                return 2;
        }
    }

    private static int bench(IgniteFileSystem fs, String op, IgfsPath path, long bytes, int bufBytes)
        throws Exception {
        byte[] buf = new byte[bufBytes];
        new java.util.Random(42).nextBytes(buf);
        long done = 0;
        long t0 = System.nanoTime();
        if (op.equals("write")) {
            try (OutputStream os = fs.create(path, true)) {
                while (done < bytes) {
                    int n = (int) Math.min(buf.length, bytes - done);
                    os.write(buf, 0, n);
                    done += n;
                }
            }
        } else if (op.equals("read")) {
            try (InputStream in = fs.open(path, bufBytes)) {
                while (done < bytes) {
                    int r = in.read(buf, 0, (int) Math.min(buf.length, bytes - done));
                    if (r < 0) break;
                    done += r;
                }
            }
        } else {
            throw new Tools.UsageException("igfs-bench write|read");
        }
        double s = (System.nanoTime() - t0) / 1e9;
        Tools.out.println(Tools.benchJson(op, done, s, "\"api\":\"IgniteFileSystem\",\"bufferBytes\":" + bufBytes));
        return 0;
    }

    static String fileJson(IgfsFile f) {
        StringBuilder sb = new StringBuilder("{");
        sb.append("\"path\":").append(Tools.json(f.path().toString()));
        sb.append(",\"name\":").append(Tools.json(f.path().name()));
        sb.append(",\"isFile\":").append(f.isFile());
        sb.append(",\"length\":").append(f.length());
        sb.append(",\"blockSize\":").append(f.blockSize());
        sb.append(",\"modificationTime\":").append(f.modificationTime());
        sb.append(",\"accessTime\":").append(f.accessTime());
        sb.append(",\"properties\":{");
        boolean first = true;
        for (Map.Entry<String, String> e : new TreeMap<>(f.properties()).entrySet()) {
            if (!first) sb.append(',');
            first = false;
            sb.append(Tools.json(e.getKey())).append(':').append(Tools.json(e.getValue()));
        }
        return sb.append("}}").toString();
    }

    static void need(String[] a, int n, String usage) throws Tools.UsageException {
        if (a.length < n) throw new Tools.UsageException("usage: " + usage);
    }
}
