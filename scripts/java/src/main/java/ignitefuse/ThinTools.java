package ignitefuse;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import javax.cache.Cache;
import org.apache.ignite.cache.query.QueryCursor;
import org.apache.ignite.cache.query.ScanQuery;
import org.apache.ignite.client.ClientCache;
import org.apache.ignite.client.IgniteClient;
import org.apache.ignite.client.SslMode;
import org.apache.ignite.client.SslProtocol;
import org.apache.ignite.configuration.ClientConfiguration;
import org.apache.ignite.Ignition;

/** Tools over Ignite's Java thin client (IgniteClient), the same connector our caches view uses. */
final class ThinTools {
    private ThinTools() {}

    static int run(String tool, String[] args) throws Exception {
        List<String> pos = new ArrayList<>();
        String user = null, password = null, sslDir = null, keyStore = "client.p12";
        int pageSize = 1024;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--user": user = value(args, ++i); break;
                case "--password": password = value(args, ++i); break;
                case "--ssl-dir": sslDir = value(args, ++i); break;
                case "--keystore": keyStore = value(args, ++i); break;
                case "--page-size": pageSize = Integer.parseInt(value(args, ++i)); break;
                default: pos.add(args[i]);
            }
        }
        if (user == null) user = HarnessProps.str("user", null);
        if (password == null) password = HarnessProps.str("password", null);
        if (sslDir == null) sslDir = HarnessProps.str("clientSslDir", null);

        ClientConfiguration cc = new ClientConfiguration();
        cc.setAddresses(HarnessProps.str("thinAddresses", "127.0.0.1:10800").split(","));
        cc.setTimeout(HarnessProps.integer("thinTimeoutMs", 30_000));
        if (user != null) {
            cc.setUserName(user);
            cc.setUserPassword(password == null ? "" : password);
        }
        if (sslDir != null) {
            String pass = new String(Files.readAllBytes(new File(sslDir, "store.pass").toPath()),
                StandardCharsets.UTF_8).trim();
            File ks = new File(keyStore);
            if (!ks.isAbsolute()) ks = new File(sslDir, keyStore);
            cc.setSslMode(SslMode.REQUIRED);
            cc.setSslProtocol(SslProtocol.TLSv1_2);
            cc.setSslClientCertificateKeyStorePath(ks.getAbsolutePath());
            cc.setSslClientCertificateKeyStoreType("PKCS12");
            cc.setSslClientCertificateKeyStorePassword(pass);
            cc.setSslTrustCertificateKeyStorePath(new File(sslDir, "truststore.p12").getAbsolutePath());
            cc.setSslTrustCertificateKeyStoreType("PKCS12");
            cc.setSslTrustCertificateKeyStorePassword(pass);
        }

        switch (tool) {
            case "thin-check": {
                try (IgniteClient client = Ignition.startClient(cc)) {
                    // A real request after the handshake: creating a cache needs an authorised session.
                    ClientCache<String, String> c = client.getOrCreateCache("ignite-fuse-thin-check");
                    c.put("k", "v");
                    String back = c.get("k");
                    Tools.out.println("{\"ok\":" + "v".equals(back) + ",\"caches\":" + client.cacheNames().size() + "}");
                    return "v".equals(back) ? 0 : 1;
                }
            }
            case "thin-put": {
                if (pos.size() < 3) throw new Tools.UsageException("usage: thin-put CACHE KEY VALUE");
                try (IgniteClient client = Ignition.startClient(cc)) {
                    client.getOrCreateCache(pos.get(0)).put(pos.get(1), pos.get(2));
                    return 0;
                }
            }
            case "scan-bench": {
                if (pos.isEmpty()) throw new Tools.UsageException("usage: scan-bench CACHE [--page-size N]");
                try (IgniteClient client = Ignition.startClient(cc)) {
                    ClientCache<Object, Object> cache = client.cache(pos.get(0));
                    long rows = 0, bytes = 0;
                    long t0 = System.nanoTime();
                    ScanQuery<Object, Object> q = new ScanQuery<>();
                    q.setPageSize(pageSize);
                    try (QueryCursor<Cache.Entry<Object, Object>> cur = cache.query(q)) {
                        for (Cache.Entry<Object, Object> e : cur) {
                            rows++;
                            Object v = e.getValue();
                            if (v instanceof byte[]) bytes += ((byte[]) v).length;
                            else if (v instanceof String) bytes += ((String) v).getBytes(StandardCharsets.UTF_8).length;
                        }
                    }
                    double s = (System.nanoTime() - t0) / 1e9;
                    Tools.out.println(Tools.benchJson("scan", bytes, s,
                        "\"rows\":" + rows + ",\"pageSize\":" + pageSize + ",\"api\":\"IgniteClient\""));
                    return 0;
                }
            }
            default:
                throw new Tools.UsageException("unknown tool " + tool);
        }
    }

    private static String value(String[] a, int i) throws Tools.UsageException {
        if (i >= a.length) throw new Tools.UsageException("option " + a[i - 1] + " needs a value");
        return a[i];
    }
}
