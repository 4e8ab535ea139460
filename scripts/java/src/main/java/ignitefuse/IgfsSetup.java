package ignitefuse;

import org.apache.ignite.cache.CacheAtomicityMode;
import org.apache.ignite.cache.CacheMode;
import org.apache.ignite.cache.CacheWriteSynchronizationMode;
import org.apache.ignite.configuration.CacheConfiguration;
import org.apache.ignite.configuration.FileSystemConfiguration;
import org.apache.ignite.configuration.IgniteConfiguration;
import org.apache.ignite.igfs.IgfsGroupDataBlocksKeyMapper;
import org.apache.ignite.igfs.IgfsIpcEndpointConfiguration;
import org.apache.ignite.igfs.IgfsIpcEndpointType;
import org.apache.ignite.igfs.IgfsMode;

/** IGFS part of the node configuration (Ignite 2.8.x only; 2.9 removed IGFS). */
final class IgfsSetup {
    private IgfsSetup() {}

    static void apply(IgniteConfiguration cfg, String host, int port, boolean clientMode) {
        FileSystemConfiguration fs = new FileSystemConfiguration();
        fs.setName(HarnessProps.str("igfsName", "igfs"));
        fs.setDefaultMode(IgfsMode.PRIMARY);
        fs.setManagementPort(-1);
        if (clientMode || port < 0) {
            fs.setIpcEndpointEnabled(false);
        } else {
            IgfsIpcEndpointConfiguration ipc = new IgfsIpcEndpointConfiguration();
            // The Linux default is SHMEM, which opens no TCP listener.
            ipc.setType(IgfsIpcEndpointType.TCP);
            ipc.setHost(host);
            ipc.setPort(port);
            fs.setIpcEndpointConfiguration(ipc);
        }

        CacheConfiguration<Object, Object> meta = new CacheConfiguration<>();
        meta.setCacheMode(CacheMode.REPLICATED);
        meta.setAtomicityMode(CacheAtomicityMode.TRANSACTIONAL);
        meta.setWriteSynchronizationMode(CacheWriteSynchronizationMode.FULL_SYNC);
        meta.setDataRegionName(NodeConfig.IGFS_REGION);
        fs.setMetaCacheConfiguration(meta);

        CacheConfiguration<Object, Object> data = new CacheConfiguration<>();
        data.setCacheMode(CacheMode.PARTITIONED);
        data.setAtomicityMode(CacheAtomicityMode.TRANSACTIONAL);
        data.setWriteSynchronizationMode(CacheWriteSynchronizationMode.FULL_SYNC);
        data.setBackups(0);
        // Keeps runs of blocks of one file on one node, as IGFS's own default does.
        data.setAffinityMapper(new IgfsGroupDataBlocksKeyMapper(512));
        data.setDataRegionName(NodeConfig.IGFS_REGION);
        fs.setDataCacheConfiguration(data);

        cfg.setFileSystemConfiguration(fs);
    }
}
