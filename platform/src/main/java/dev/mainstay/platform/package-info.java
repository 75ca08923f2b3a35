/**
 * The Mainstay appliance. Packages are features (see docs/design.md); {@code app} holds the
 * launcher, configuration and startup.
 */
package dev.mainstay.platform;
