package dev.mainstay.platform.identity;

import jakarta.enterprise.context.RequestScoped;
import java.util.Optional;

/**
 * The caller of the current request, set by {@link AccessFilter} before any resource method
 * runs. Resources read it; nothing else writes it.
 */
@RequestScoped
public class RequestIdentity {

    private Caller caller;
    private String csrfToken;
    private String refreshedCookie;

    /** The caller, if the request is signed in. */
    public Optional<Caller> caller() {
        return Optional.ofNullable(caller);
    }

    /** The signed-in person, if the caller is one. */
    public Optional<Caller.Person> person() {
        return caller instanceof Caller.Person p ? Optional.of(p) : Optional.empty();
    }

    /** The anti-CSRF token forms of this session must carry; empty without a session. */
    public Optional<String> csrfToken() {
        return Optional.ofNullable(csrfToken);
    }

    void signedIn(Caller who, String csrf) {
        this.caller = who;
        this.csrfToken = csrf;
    }

    void refreshCookie(String setCookie) {
        this.refreshedCookie = setCookie;
    }

    Optional<String> refreshedCookie() {
        return Optional.ofNullable(refreshedCookie);
    }
}
