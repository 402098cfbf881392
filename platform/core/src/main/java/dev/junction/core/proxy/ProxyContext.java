package dev.junction.core.proxy;

import dev.junction.core.auth.AccountStore;
import dev.junction.core.admin.AdminLogin;
import dev.junction.core.cluster.ClusterRegistry;
import dev.junction.core.routing.RoutingPipeline;
import dev.junction.core.session.ServerChooser;
import dev.junction.core.session.ServerTimeouts;
import dev.junction.core.session.SessionRegistry;
import io.netty.handler.ssl.SslContext;

/**
 * What every client connection's handlers share.
 *
 * @param routing the routing pipeline (also the {@code chooser} for commands routing knows nothing about)
 * @param admin the {@code root@proxysys} admin face, or null when there is none
 */
public record ProxyContext(ProxyConfig config, ClusterRegistry clusters, AccountStore accounts,
        SessionRegistry sessions, ServerChooser chooser, SslContext sslContext, RoutingPipeline routing,
        AdminLogin admin) {

    public ServerTimeouts serverTimeouts() {
        return new ServerTimeouts(config.connectTimeoutMillis(), config.serverSilenceMillis());
    }
}
