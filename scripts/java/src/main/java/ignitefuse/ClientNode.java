package ignitefuse;

import org.apache.ignite.Ignite;
import org.apache.ignite.Ignition;

/** Starts a client node that joins the instance described by the -Dignitefuse.* properties. */
final class ClientNode {
    private ClientNode() {}

    static Ignite start() throws Exception {
        return Ignition.start(NodeConfig.build(true));
    }
}
