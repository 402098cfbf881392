package dev.junction.core.admin;

import dev.junction.api.session.SessionControl;
import dev.junction.core.session.ClientSession;
import dev.junction.core.session.SessionRegistry;
import java.util.OptionalLong;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The core's {@link SessionControl}: picks the least recently used idle client session (by the time its last
 * command ended) and closes it on its own event loop after checking again that it is still idle. Scans the open
 * sessions, so it is for rare events such as a login at a connection limit, not for every statement.
 */
@Component(service = SessionControl.class)
public final class SessionControlService implements SessionControl {

    private static final Logger LOG = LoggerFactory.getLogger(SessionControlService.class);

    private final AdminService admin;

    @Activate
    public SessionControlService(@Reference AdminService admin) {
        this.admin = admin;
    }

    @Override
    public OptionalLong closeLeastRecentlyUsedIdle(String user, String tenant, String cluster, String reason) {
        SessionRegistry sessions = admin.attachedSessions();
        if (sessions == null) {
            return OptionalLong.empty();
        }
        ClientSession lru = null;
        for (ClientSession s : sessions.all()) {
            if (s.tenant().isEmpty() || !idle(s)) {
                continue; // admin sessions, sessions still logging in, busy sessions
            }
            if ((user != null && !user.equals(s.user())) || (tenant != null && (!tenant.equals(s.tenant())
                    || (cluster != null && !cluster.equals(s.cluster()))))) {
                continue;
            }
            if (lru == null || s.stateSinceMillis() < lru.stateSinceMillis()) {
                lru = s;
            }
        }
        if (lru == null) {
            return OptionalLong.empty();
        }
        ClientSession target = lru;
        target.channel().eventLoop().execute(() -> {
            if (target.channel().isActive() && idle(target)) {
                LOG.info("Session {} ({}@{}#{} from {}) idle for {} ms: closed, {}", target.id(), target.user(),
                        target.tenant(), target.cluster(), target.clientAddress(),
                        System.currentTimeMillis() - target.stateSinceMillis(), reason);
                target.channel().close();
            } else {
                LOG.info("Session {} is no longer idle: not closed ({})", target.id(), reason);
            }
        });
        return OptionalLong.of(target.id());
    }

    /** No command running, no transaction open or held (its BEGIN not yet sent). */
    private static boolean idle(ClientSession s) {
        return "Sleep".equals(s.command()) && s.running() == null && !s.inTransaction() && s.heldBegin() == null;
    }
}
