package ignitefuse;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import org.apache.ignite.Ignite;
import org.apache.ignite.Ignition;

/**
 * Starts one server node from NodeConfig and stays up until the JVM is killed.
 * Writes ignitefuse.readyFile once the node is usable (for --auth: after node 0 has activated the cluster
 * with all expected servers in it), which is what scripts/ignite waits for besides the open ports.
 */
public final class NodeLauncher {
    private NodeLauncher() {}

    public static void main(String[] args) throws Exception {
        Ignite ignite = Ignition.start(NodeConfig.build(false));
        int node = HarnessProps.integer("node", 0);
        int expectedServers = HarnessProps.integer("nodes", 1);
        if (HarnessProps.bool("auth") && node == 0) {
            // A node with a persistent region starts inactive; activate once every server has joined so
            // they all end up in the baseline.
            long deadline = System.currentTimeMillis() + 120_000;
            while (ignite.cluster().forServers().nodes().size() < expectedServers
                && System.currentTimeMillis() < deadline) {
                Thread.sleep(200);
            }
            ignite.cluster().active(true);
        }
        while (!ignite.cluster().active()) Thread.sleep(200);
        String readyFile = HarnessProps.str("readyFile", null);
        if (readyFile != null) {
            File tmp = new File(readyFile + ".tmp");
            Files.write(tmp.toPath(), (Pid.current() + "\n").getBytes(StandardCharsets.UTF_8));
            Files.move(tmp.toPath(), new File(readyFile).toPath(), StandardCopyOption.ATOMIC_MOVE);
        }
        System.out.println("ignite-fuse node ready: " + ignite.name());
    }
}
