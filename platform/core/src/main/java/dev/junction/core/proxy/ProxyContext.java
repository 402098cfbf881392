package dev.junction.core.proxy;

import dev.junction.core.auth.AccountStore;
import dev.junction.core.cluster.ClusterRegistry;
import dev.junction.core.session.ServerChooser;
import dev.junction.core.session.ServerTimeouts;
import dev.junction.core.session.SessionRegistry;
import io.netty.handler.ssl.SslContext;

/** What every client connection's handlers share. */
public record ProxyContext(ProxyConfig config, ClusterRegistry clusters, AccountStore accounts,
        SessionRegistry sessions, ServerChooser chooser, SslContext sslContext) {

    public ServerTimeouts serverTimeouts() {
        return new ServerTimeouts(config.connectTimeoutMillis(), config.serverSilenceMillis());
    }
}
