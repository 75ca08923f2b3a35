/**
 * {@code mainstay flaky classify} and {@code mainstay flaky backtest}: the appliance's detection
 * code run on a history file, so that its accuracy can be measured and thresholds tuned on a
 * team's own data before they are changed on the server.
 */
package dev.mainstay.cli.flaky;
