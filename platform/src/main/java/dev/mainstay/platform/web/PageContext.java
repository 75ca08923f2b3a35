package dev.mainstay.platform.web;

import dev.mainstay.platform.identity.Caller;
import java.util.List;
import java.util.Optional;

/**
 * What the layout needs on every page.
 *
 * @param title   the page's title
 * @param person  who is signed in, if anyone
 * @param csrf    the session's anti-CSRF token, empty without a session
 * @param nav     the navigation, already filtered to what the person may open
 * @param current path of the page, to mark its navigation entry
 * @param assets  base path of static assets, versioned for caching
 * @param version Mainstay's version, for the footer
 */
public record PageContext(String title, Optional<Caller.Person> person, String csrf, List<NavItem> nav,
                          String current, String assets, String version) {

    /**
     * One navigation entry.
     *
     * @param label what it says
     * @param href  where it goes
     * @param group the heading it sits under (an org's slug, or "You")
     */
    public record NavItem(String label, String href, String group) {
    }

    /** Whether {@code item} is the current page. */
    public boolean isCurrent(NavItem item) {
        return item.href().equals(current);
    }

    /** The navigation groups in order. */
    public List<String> groups() {
        return nav.stream().map(NavItem::group).distinct().toList();
    }

    /** The entries of one group. */
    public List<NavItem> itemsOf(String group) {
        return nav.stream().filter(i -> i.group().equals(group)).toList();
    }
}
