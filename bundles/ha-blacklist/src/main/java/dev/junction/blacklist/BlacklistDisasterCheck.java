package dev.junction.blacklist;

import dev.junction.api.health.DisasterCheck;
import dev.junction.api.health.FailureKind;
import dev.junction.api.health.ServerControl;
import dev.junction.api.health.Verdict;
import dev.junction.api.topology.Replica;
import dev.junction.api.topology.ServerAddress;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The disaster check "blacklist": vetoes every server in the state, detect, alive-but-unavailable or manual
 * blacklist ({@link Blacklists}), learns from real traffic, and runs the {@link Detector}. Configured by
 * {@code etc/dev.junction.blacklist.cfg} (hot reloaded; a bad file is refused whole and the old settings stay).
 */
@Component(service = DisasterCheck.class, configurationPid = BlacklistConfig.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL,
        property = DisasterCheck.NAME_PROPERTY + "=blacklist")
public class BlacklistDisasterCheck implements DisasterCheck {

    private static final Logger LOG = LoggerFactory.getLogger(BlacklistDisasterCheck.class);

    private final Blacklists lists = new Blacklists();
    private final Detector detector;

    /** For tests and embedding: call {@link #configure} and then {@link #start}. */
    public BlacklistDisasterCheck(ServerControl control) {
        this.detector = new Detector(lists, control);
    }

    @Activate
    public BlacklistDisasterCheck(@Reference ServerControl control, Map<String, Object> properties) {
        this(control);
        configure(properties);
        start();
    }

    @Modified
    void modified(Map<String, Object> properties) {
        configure(properties);
        start();
    }

    /** Starts (or re-times) the probes. */
    public void start() {
        detector.start();
    }

    @Deactivate
    public void stop() {
        detector.close();
    }

    /**
     * Applies a configuration if it is valid as a whole; otherwise logs one line naming the file, the key and
     * the problem, keeps the settings in force and returns that problem (null when applied).
     */
    public String configure(Map<String, ?> properties) {
        BlacklistConfig next;
        try {
            next = BlacklistConfig.parse(properties);
        } catch (BlacklistConfig.Invalid e) {
            LOG.error("Refusing the blacklist settings, the previous ones stay: {}", e.getMessage());
            return e.getMessage();
        }
        lists.config(next);
        if (next.detectMode == BlacklistConfig.DetectMode.NONE) {
            for (ServerHealth.Row r : lists.rows()) {
                lists.probeSucceeded(r.server()); // no probes: nothing can hold a server dead any longer
            }
        }
        LOG.info("Blacklist settings from {}: detect_mode {}, probe every {} ms with a {} ms timeout, dead after {}"
                + " failures; unavailable after {} failures in {} ms, trial every {} ms; state held {} ms",
                BlacklistConfig.FILE, next.detectMode.name().toLowerCase(java.util.Locale.ROOT),
                next.detectIntervalMillis, next.detectTimeoutMillis, next.detectFailures, next.unavailableFailures,
                next.unavailableWindowMillis, next.unavailableRetryMillis, next.stateMinHoldMillis);
        return null;
    }

    Blacklists lists() {
        return lists;
    }

    @Override
    public Verdict check(Replica candidate) {
        return lists.check(candidate);
    }

    @Override
    public void onSuccess(ServerAddress server) {
        lists.success(server);
    }

    @Override
    public void onFailure(ServerAddress server, FailureKind kind, String detail) {
        lists.failure(server, kind, detail);
    }
}
