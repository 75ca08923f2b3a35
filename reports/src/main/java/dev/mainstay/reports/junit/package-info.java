/**
 * JUnit XML, every dialect in one streaming parser ({@link dev.mainstay.reports.junit.JunitXmlParser}).
 */
package dev.mainstay.reports.junit;
