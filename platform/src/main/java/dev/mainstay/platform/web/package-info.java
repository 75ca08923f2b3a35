/**
 * The web UI shell: server-rendered pages from precompiled jte templates, the layout and its
 * navigation, error pages, and static assets (Mainstay's stylesheet and htmx from its WebJar)
 * served with long-lived cache headers under a versioned path. Features render their own pages
 * through {@link dev.mainstay.platform.web.Templates}.
 */
package dev.mainstay.platform.web;
