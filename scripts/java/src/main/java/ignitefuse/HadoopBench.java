package ignitefuse;

import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Method;
import java.net.URI;
import java.util.Random;

/**
 * Sequential write/read through Hadoop's FileSystem API with Ignite's IgniteHadoopFileSystem over the IGFS
 * TCP endpoint (igfs://igfs@127.0.0.1:PORT/): the Java client that speaks the same wire protocol as
 * ignite-fuse. Hadoop is reached by reflection so the harness jar builds without the Hadoop jars, which
 * scripts/ignite-java adds to the class path only for this tool.
 */
final class HadoopBench {
    private HadoopBench() {}

    static int run(String[] a) throws Exception {
        if (a.length < 3) throw new Tools.UsageException("usage: hadoop-bench write|read IGFS_PATH BYTES [BUFFER_BYTES]");
        String op = a[0];
        long bytes = Long.parseLong(a[2]);
        int bufBytes = a.length > 3 ? Integer.parseInt(a[3]) : 1 << 20;
        String endpoint = HarnessProps.str("igfsEndpoint", "127.0.0.1:10500");
        String authority = HarnessProps.str("igfsName", "igfs") + "@" + endpoint;
        URI uri = URI.create("igfs://" + authority + "/");

        Class<?> confClass = Class.forName("org.apache.hadoop.conf.Configuration");
        Object conf = confClass.getConstructor().newInstance();
        Method set = confClass.getMethod("set", String.class, String.class);
        set.invoke(conf, "fs.igfs.impl", "org.apache.ignite.hadoop.fs.v1.IgniteHadoopFileSystem");
        // TCP only: no Ignite node embedded in this JVM, no shared-memory shortcut.
        set.invoke(conf, "fs.igfs." + authority + ".endpoint.no_embed", "true");
        set.invoke(conf, "fs.igfs." + authority + ".endpoint.no_local_shmem", "true");
        set.invoke(conf, "fs.igfs.impl.disable.cache", "true");

        Class<?> fsClass = Class.forName("org.apache.hadoop.fs.FileSystem");
        Class<?> pathClass = Class.forName("org.apache.hadoop.fs.Path");
        Object fs = fsClass.getMethod("get", URI.class, confClass).invoke(null, uri, conf);
        Object path = pathClass.getConstructor(String.class).newInstance(a[1]);

        byte[] buf = new byte[bufBytes];
        new Random(42).nextBytes(buf);
        long done = 0;
        long t0 = System.nanoTime();
        try {
            if (op.equals("write")) {
                try (OutputStream os = (OutputStream) fsClass.getMethod("create", pathClass, boolean.class, int.class)
                    .invoke(fs, path, true, bufBytes)) {
                    while (done < bytes) {
                        int n = (int) Math.min(buf.length, bytes - done);
                        os.write(buf, 0, n);
                        done += n;
                    }
                }
            } else if (op.equals("read")) {
                try (InputStream in = (InputStream) fsClass.getMethod("open", pathClass, int.class)
                    .invoke(fs, path, bufBytes)) {
                    while (done < bytes) {
                        int r = in.read(buf, 0, (int) Math.min(buf.length, bytes - done));
                        if (r < 0) break;
                        done += r;
                    }
                }
            } else {
                throw new Tools.UsageException("hadoop-bench write|read");
            }
        } finally {
            fsClass.getMethod("close").invoke(fs);
        }
        double s = (System.nanoTime() - t0) / 1e9;
        Tools.out.println(Tools.benchJson(op, done, s,
            "\"api\":\"IgniteHadoopFileSystem\",\"uri\":" + Tools.json(uri.toString()) + ",\"bufferBytes\":" + bufBytes));
        return 0;
    }
}
