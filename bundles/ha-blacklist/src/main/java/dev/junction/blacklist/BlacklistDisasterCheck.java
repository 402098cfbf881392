package dev.junction.blacklist;

import dev.junction.api.health.DisasterCheck;
import dev.junction.api.health.Verdict;
import dev.junction.api.topology.Replica;
import org.osgi.service.component.annotations.Component;

/**
 * The three blacklists (state, detect, alive-but-unavailable). Until the ha-blacklist issue lands
 * no list is kept and every server is allowed, as without the bundle.
 */
@Component(property = DisasterCheck.NAME_PROPERTY + "=blacklist")
public class BlacklistDisasterCheck implements DisasterCheck {

    @Override
    public Verdict check(Replica candidate) {
        return Verdict.allow();
    }
}
