package dev.junction.api.filter;

import org.osgi.annotation.versioning.ConsumerType;

/** Runs when a client logs in, before any server is contacted. Only accept or reject apply. */
@ConsumerType
public interface LoginFilter {

    FilterResult onLogin(LoginRequest login);

    /** The session that {@code login} opened has ended (pairs with an accepted login). */
    default void onLogout(LoginRequest login) {
    }
}
