package ignitefuse;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Arrays;
import org.apache.ignite.configuration.ClientConnectorConfiguration;
import org.apache.ignite.configuration.DataRegionConfiguration;
import org.apache.ignite.configuration.DataStorageConfiguration;
import org.apache.ignite.configuration.IgniteConfiguration;
import org.apache.ignite.spi.communication.tcp.TcpCommunicationSpi;
import org.apache.ignite.spi.discovery.tcp.TcpDiscoverySpi;
import org.apache.ignite.spi.discovery.tcp.ipfinder.vm.TcpDiscoveryVmIpFinder;
import org.apache.ignite.ssl.SslContextFactory;

/**
 * The one node configuration of the harness, built in code from -Dignitefuse.* properties.
 *
 * Properties (all optional except where a caller needs them):
 *   host            address every listener binds to (127.0.0.1; docker/ passes 0.0.0.0)
 *   instance        cluster name, used as igniteInstanceName prefix
 *   node            index k of this server node (0-based)
 *   discoveryPort   first discovery port of the cluster; node k listens on discoveryPort+k
 *   discoveryRange  how many discovery ports the static finder lists (10)
 *   commPort        first communication port; node k uses commPort+k
 *   thinPort        thin-client port of this node (-1 disables the connector)
 *   igfsPort        IGFS TCP endpoint port of this node (-1 = no IGFS, e.g. Ignite 2.9+)
 *   igfsName        IGFS name (igfs)
 *   workDir         Ignite work directory of this node
 *   defaultRegionMb maxSize of the default (in-memory) data region
 *   igfsRegionMb    maxSize of the in-memory data region holding the IGFS caches
 *   sslDir          directory with server.p12 / truststore.p12 / store.pass: turns on TLS on the connector
 *   failureHandler  noop: keep the node up after critical errors such as a full data region
 *   auth            true: authenticationEnabled (adds a small persistent region, as 2.8 requires)
 */
final class NodeConfig {
    static final String IGFS_REGION = "igfs-region";
    static final String AUTH_REGION = "auth-persistent";

    private NodeConfig() {}

    static IgniteConfiguration build(boolean clientMode) throws Exception {
        String host = HarnessProps.str("host", "127.0.0.1");
        String instance = HarnessProps.str("instance", "default");
        int node = HarnessProps.integer("node", 0);
        int discoveryPort = HarnessProps.integer("discoveryPort", 47500);
        int discoveryRange = HarnessProps.integer("discoveryRange", 10);
        int commPort = HarnessProps.integer("commPort", 47100);
        int thinPort = HarnessProps.integer("thinPort", 10800);
        int igfsPort = HarnessProps.integer("igfsPort", -1);
        String workDir = HarnessProps.str("workDir", null);
        boolean auth = HarnessProps.bool("auth");

        IgniteConfiguration cfg = new IgniteConfiguration();
        cfg.setIgniteInstanceName(clientMode
            ? instance + "-client-" + Pid.current()
            : instance + "-node-" + node);
        cfg.setClientMode(clientMode);
        // 0.0.0.0 (docker/) means "every interface": leave Ignite's own addresses unset then.
        boolean anyHost = "0.0.0.0".equals(host);
        cfg.setLocalHost(anyHost ? null : host);
        cfg.setPeerClassLoadingEnabled(false);
        cfg.setMetricsLogFrequency(0);
        // The REST/memcached connector would listen on 11211 for every instance and clash; nobody uses it.
        cfg.setConnectorConfiguration(null);
        // "noop": a full data region (IgniteOutOfMemoryException) fails the operation but keeps the node up,
        // so tests can provoke out-of-space; Ignite's default handler halts the JVM instead.
        if ("noop".equals(HarnessProps.str("failureHandler", ""))) {
            cfg.setFailureHandler(new org.apache.ignite.failure.NoOpFailureHandler());
        }
        if (workDir != null) cfg.setWorkDirectory(new File(workDir).getAbsolutePath());

        // Static finder over this instance's own range only: never multicast, never another instance.
        TcpDiscoveryVmIpFinder finder = new TcpDiscoveryVmIpFinder();
        String finderHost = HarnessProps.str("discoveryHost", "0.0.0.0".equals(host) ? "127.0.0.1" : host);
        finder.setAddresses(Arrays.asList(
            finderHost + ":" + discoveryPort + ".." + (discoveryPort + discoveryRange - 1)));
        TcpDiscoverySpi discovery = new TcpDiscoverySpi();
        discovery.setIpFinder(finder);
        discovery.setLocalAddress(anyHost ? null : host);
        if (clientMode) {
            // A tool pointed at a stopped instance fails instead of waiting for a server forever.
            discovery.setJoinTimeout(HarnessProps.longValue("joinTimeoutMs", 20_000));
            discovery.setLocalPort(discoveryPort);
            discovery.setLocalPortRange(discoveryRange);
        } else {
            discovery.setLocalPort(discoveryPort + node);
            discovery.setLocalPortRange(0);
        }
        cfg.setDiscoverySpi(discovery);

        TcpCommunicationSpi comm = new TcpCommunicationSpi();
        comm.setLocalAddress(anyHost ? null : host);
        if (clientMode) {
            // Client nodes (the Java tools) take a free port above the servers' block.
            comm.setLocalPort(commPort + discoveryRange);
            comm.setLocalPortRange(HarnessProps.integer("clientCommRange", 40));
        } else {
            comm.setLocalPort(commPort + node);
            comm.setLocalPortRange(0);
        }
        cfg.setCommunicationSpi(comm);

        DataStorageConfiguration storage = new DataStorageConfiguration();
        DataRegionConfiguration dflt = new DataRegionConfiguration();
        dflt.setName("default");
        long defaultMb = HarnessProps.longValue("defaultRegionMb", 1024);
        dflt.setMaxSize(defaultMb << 20);
        dflt.setInitialSize(Math.min(defaultMb, 64) << 20);
        storage.setDefaultDataRegionConfiguration(dflt);

        if (igfsPort >= 0 || HarnessProps.bool("igfs")) {
            long igfsMb = HarnessProps.longValue("igfsRegionMb", 2048);
            DataRegionConfiguration igfsRegion = new DataRegionConfiguration();
            igfsRegion.setName(IGFS_REGION);
            igfsRegion.setMaxSize(igfsMb << 20);
            igfsRegion.setInitialSize(Math.min(igfsMb, 64) << 20);
            storage.setDataRegionConfigurations(appendRegion(storage, igfsRegion));
            // IGFS classes are gone in 2.9+, so they live in IgfsSetup and are only loaded here.
            IgfsSetup.apply(cfg, host, igfsPort, clientMode);
        }
        if (auth) {
            // 2.8 refuses authenticationEnabled without at least one persistent region.
            DataRegionConfiguration persistent = new DataRegionConfiguration();
            persistent.setName(AUTH_REGION);
            persistent.setPersistenceEnabled(true);
            persistent.setInitialSize(16L << 20);
            persistent.setMaxSize(64L << 20);
            storage.setDataRegionConfigurations(appendRegion(storage, persistent));
            // The memory-mapped WAL of 2.8 reflects on MappedByteBuffer.mappingOffset(), which JDK 14+ moved
            // (NullPointerException in FileWriteHandleImpl.fsync on JDK 17); the buffered WAL works.
            if (System.getProperty("IGNITE_WAL_MMAP") == null) System.setProperty("IGNITE_WAL_MMAP", "false");
            storage.setWalSegmentSize(4 << 20);
            storage.setWalSegments(2);
            cfg.setAuthenticationEnabled(true);
        }
        cfg.setDataStorageConfiguration(storage);

        if (!clientMode) {
            ClientConnectorConfiguration connector = new ClientConnectorConfiguration();
            connector.setHost(anyHost ? null : host);
            if (thinPort >= 0) connector.setPort(thinPort);
            connector.setPortRange(0);
            String sslDir = HarnessProps.str("sslDir", null);
            if (sslDir != null) {
                connector.setSslEnabled(true);
                connector.setUseIgniteSslContextFactory(false);
                connector.setSslClientAuth(true);
                connector.setSslContextFactory(sslFactory(sslDir, "server.p12"));
            }
            cfg.setClientConnectorConfiguration(thinPort >= 0 ? connector : null);
        }
        return cfg;
    }

    private static DataRegionConfiguration[] appendRegion(DataStorageConfiguration storage,
                                                          DataRegionConfiguration region) {
        DataRegionConfiguration[] old = storage.getDataRegionConfigurations();
        if (old == null) return new DataRegionConfiguration[] {region};
        DataRegionConfiguration[] next = Arrays.copyOf(old, old.length + 1);
        next[old.length] = region;
        return next;
    }

    /** PKCS12 key store + CA trust store from the --ssl directory; TLS 1.2 pinned (IGNITE-15337). */
    static SslContextFactory sslFactory(String sslDir, String keyStoreFile) throws Exception {
        char[] pass = new String(Files.readAllBytes(new File(sslDir, "store.pass").toPath()),
            StandardCharsets.UTF_8).trim().toCharArray();
        SslContextFactory f = new SslContextFactory();
        f.setKeyStoreType("PKCS12");
        f.setKeyStoreFilePath(new File(sslDir, keyStoreFile).getAbsolutePath());
        f.setKeyStorePassword(pass);
        f.setTrustStoreType("PKCS12");
        f.setTrustStoreFilePath(new File(sslDir, "truststore.p12").getAbsolutePath());
        f.setTrustStorePassword(pass);
        f.setProtocol("TLSv1.2");
        // setProtocol only picks the SSLContext; JDK 17 still enables TLS 1.3 unless the enabled protocols are pinned.
        f.setProtocols("TLSv1.2");
        return f;
    }
}
