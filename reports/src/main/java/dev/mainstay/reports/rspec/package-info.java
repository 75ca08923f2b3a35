/**
 * RSpec's JSON formatter output ({@link dev.mainstay.reports.rspec.RspecJsonParser}).
 */
package dev.mainstay.reports.rspec;
