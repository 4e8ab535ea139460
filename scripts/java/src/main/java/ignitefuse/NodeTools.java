package ignitefuse;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteDataStreamer;

/** Tools that need a full client node: bulk loading with IgniteDataStreamer and topology facts. */
final class NodeTools {
    private NodeTools() {}

    static int run(String tool, String[] a) throws Exception {
        if (tool.equals("load-bytes")) {
            if (a.length < 3) throw new Tools.UsageException("usage: load-bytes CACHE ROWS ROW_BYTES");
            String cacheName = a[0];
            long rows = Long.parseLong(a[1]);
            int rowBytes = Integer.parseInt(a[2]);
            Ignite ignite = ClientNode.start();
            ignite.getOrCreateCache(cacheName);
            Random rnd = new Random(HarnessProps.longValue("seed", 1));
            long t0 = System.nanoTime();
            try (IgniteDataStreamer<Long, byte[]> st = ignite.dataStreamer(cacheName)) {
                for (long i = 0; i < rows; i++) {
                    byte[] v = new byte[rowBytes];
                    rnd.nextBytes(v);
                    st.addData(i, v);
                }
            }
            double s = (System.nanoTime() - t0) / 1e9;
            Tools.out.println(Tools.benchJson("load", rows * rowBytes, s,
                "\"rows\":" + rows + ",\"rowBytes\":" + rowBytes + ",\"keyType\":\"long\",\"api\":\"IgniteDataStreamer\""));
            return 0;
        }
        if (tool.equals("cluster-info")) {
            Ignite ignite = ClientNode.start();
            int servers = ignite.cluster().forServers().nodes().size();
            int clients = ignite.cluster().forClients().nodes().size();
            List<String> caches = new ArrayList<>(ignite.cacheNames());
            Collections.sort(caches);
            StringBuilder sb = new StringBuilder();
            for (String c : caches) sb.append(sb.length() == 0 ? "" : ",").append(Tools.json(c));
            Tools.out.println("{\"servers\":" + servers + ",\"clients\":" + clients
                + ",\"active\":" + ignite.cluster().active()
                + ",\"topologyVersion\":" + ignite.cluster().topologyVersion()
                + ",\"version\":" + Tools.json(ignite.version().toString())
                + ",\"caches\":[" + sb + "]}");
            return 0;
        }
        throw new Tools.UsageException("unknown tool " + tool);
    }
}
