package dev.junction.core.admin;

import dev.junction.core.session.ClientSession;
import dev.junction.core.session.SessionRegistry;
import io.netty.channel.ChannelHandler;

/**
 * The {@code root@proxysys} login: admin SQL answered by Junction itself, never reaching a server. The
 * password hash comes from {@code etc/dev.junction.admin.cfg}; without one, admin SQL is disabled.
 */
public interface AdminLogin {

    String TENANT = "proxysys";
    String USER = "root";

    /** The mysql_native_password hash (SHA1(SHA1(password))), or null while admin SQL is disabled. */
    byte[] passwordHash();

    /** Whether clients other than loopback ones may log in as root@proxysys. */
    boolean allowRemote();

    /** The handler that serves a logged-in admin session's commands. */
    ChannelHandler sqlHandler(ClientSession session, SessionRegistry sessions);
}
