package dev.mainstay.reports.junit;

import com.ctc.wstx.api.WstxInputProperties;
import com.ctc.wstx.exc.WstxLazyException;
import com.ctc.wstx.stax.WstxInputFactory;
import dev.mainstay.reports.ExecutionSink;
import dev.mainstay.reports.LimitedInputStream;
import dev.mainstay.reports.ParseLimits;
import dev.mainstay.reports.ReportException;
import dev.mainstay.reports.ReportParser;
import dev.mainstay.reports.ReportTimes;
import java.io.CharConversionException;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import javax.xml.stream.Location;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * JUnit XML in the dialects CI tools write: Surefire and Failsafe (with {@code flakyFailure},
 * {@code flakyError}, {@code rerunFailure} and {@code rerunError}, each a separate attempt),
 * Gradle and pytest-rerunfailures (a retry is the same testcase again in its suite), pytest
 * xunit1/xunit2, jest-junit, gotestsum, PHPUnit, catch2, mocha, nested {@code <testsuite>}s and
 * a bare {@code <testsuite>} root.
 *
 * <p>One pass over the stream with Woodstox: no DTD is accepted (so no external entity and no
 * entity expansion), depth and attribute size are bounded, and texts are kept as bounded
 * {@link dev.mainstay.reports.Excerpt}s read chunk by chunk. Memory grows with the number of
 * distinct tests in one suite (to number retries, {@link AttemptsSeen}: some 24 to 48 bytes a
 * test), never with the size of the file. Control
 * characters that XML 1.0 forbids are replaced ({@link Xml10Bytes}), and character references
 * to them are accepted, as XML 1.1 allows.
 */
public final class JunitXmlParser implements ReportParser {

    @Override
    public void parse(String report, InputStream in, ParseLimits limits, ExecutionSink sink) throws ReportException, IOException {
        XMLStreamReader xml;
        try {
            xml = inputFactory(limits).createXMLStreamReader(new Xml10Bytes(new LimitedInputStream(in, limits.maxBytes())));
        } catch (XMLStreamException e) {
            throw failure(report, e);
        }
        try {
            read(report, xml, limits, sink);
        } catch (XMLStreamException e) {
            throw failure(report, e);
        } catch (WstxLazyException e) {
            // Woodstox reads text lazily, when it is asked for, and reports a problem found then unchecked.
            throw failure(report, e.getCause() instanceof XMLStreamException cause ? cause : new XMLStreamException(e.getMessage()));
        } finally {
            try {
                xml.close();
            } catch (XMLStreamException ignored) {
                // Closing releases buffers only; the report's verdict is already made.
            }
        }
    }

    /** What a StAX failure means: the stream failed (rethrown), the report is too large, or it is not well-formed. */
    private static ReportException failure(String report, XMLStreamException e) throws IOException {
        Throwable cause = e.getCause() != null ? e.getCause() : e.getNestedException();
        if (cause instanceof LimitedInputStream.TooLarge tooLarge) {
            return tooLarge.rejection(report);
        }
        if (cause instanceof CharConversionException chars) {
            return new ReportException(report, line(e.getLocation()), "not in its declared encoding: " + chars.getMessage(), e);
        }
        if (cause instanceof IOException io) {
            throw io;
        }
        String reason = reason(e);
        if (reason.toLowerCase(java.util.Locale.ROOT).contains("limit")) {
            return new ReportException(report, line(e.getLocation()), "beyond a limit: " + reason, e);
        }
        return new ReportException(report, line(e.getLocation()), "not well-formed XML: " + reason, e);
    }

    private static void read(String report, XMLStreamReader xml, ParseLimits limits, ExecutionSink sink)
        throws XMLStreamException, ReportException {
        Deque<Suite> suites = new ArrayDeque<>();
        Attributes attributes = new Attributes();
        TestCase reader = new TestCase(report, limits, attributes);
        TestCase testCase = null;
        Deque<String> open = new ArrayDeque<>();
        boolean rootSeen = false;
        while (xml.hasNext()) {
            int event = xml.next();
            switch (event) {
                case XMLStreamConstants.DTD -> throw new ReportException(report, line(xml.getLocation()),
                    "a DOCTYPE is not accepted (JUnit reports never need one, and it could define entities)");
                case XMLStreamConstants.START_ELEMENT -> {
                    String element = xml.getLocalName();
                    if (!rootSeen) {
                        rootSeen = true;
                        if (!element.equals("testsuites") && !element.equals("testsuite")) {
                            throw new ReportException(report, line(xml.getLocation()),
                                "the root element is <" + element + ">, not <testsuites> or <testsuite>: not a JUnit XML report");
                        }
                    }
                    open.push(element);
                    if (testCase == null) {
                        if (element.equals("testsuite")) {
                            Attributes a = attributes.read(xml);
                            suites.push(new Suite(a.name(), a.file(), a.timestamp(), suites.isEmpty() ? null : suites.peek()));
                        } else if (element.equals("testcase")) {
                            testCase = reader.open(suites.isEmpty() ? new Suite("", "", "", null) : suites.peek(), xml);
                        }
                    } else {
                        testCase.start(element, xml);
                    }
                }
                case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE -> {
                    if (testCase != null) {
                        testCase.text(xml.getTextCharacters(), xml.getTextStart(), xml.getTextLength());
                    }
                }
                case XMLStreamConstants.END_ELEMENT -> {
                    String element = open.pop();
                    if (testCase != null) {
                        if (element.equals("testcase") && testCase.depth() == 0) {
                            Suite suite = suites.isEmpty() ? null : suites.peek();
                            testCase.emit(suite == null ? new AttemptsSeen() : suite.attempts, sink);
                            testCase = null;
                        } else {
                            testCase.end(element);
                        }
                    } else if (element.equals("testsuite")) {
                        suites.pop();
                    }
                }
                default -> {
                    // Comments, processing instructions and the document's start and end carry no results.
                }
            }
        }
        if (!rootSeen) {
            throw new ReportException(report, OptionalLong.empty(), "empty: no <testsuites> or <testsuite> element");
        }
    }

    /** A {@code <testsuite>} being read: its name, file and time, and the attempts seen per test in it. */
    static final class Suite {
        final String file;
        final String timestamp;
        /** The timestamp read once, as each of its testcases without one of its own would read it. */
        final Optional<Instant> startedAt;
        /** The names of this suite and those around it, outermost first: the same for every execution in it. */
        final List<String> path;
        final AttemptsSeen attempts = new AttemptsSeen();

        Suite(String name, String file, String timestamp, Suite parent) {
            this.file = file.isEmpty() && parent != null ? parent.file : file;
            this.timestamp = timestamp.isEmpty() && parent != null ? parent.timestamp : timestamp;
            this.startedAt = ReportTimes.instant(this.timestamp);
            List<String> names = new ArrayList<>(parent == null ? List.of() : parent.path);
            if (!name.isEmpty()) {
                names.add(name);
            }
            this.path = List.copyOf(names);
        }
    }

    /**
     * The StAX factory this parser reads with: Woodstox, namespace-aware, no DTD, no external
     * entities, not coalescing, the depth and attribute-size limits of {@code limits}, and XML 1.1
     * character references to control characters accepted. Public so that a benchmark can compare
     * the parser with a bare pass over the same reader.
     */
    public static XMLInputFactory inputFactory(ParseLimits limits) {
        WstxInputFactory factory = new WstxInputFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        factory.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
        factory.setProperty(XMLInputFactory.IS_COALESCING, false);
        factory.setProperty(WstxInputProperties.P_MAX_ELEMENT_DEPTH, limits.maxDepth());
        factory.setProperty(WstxInputProperties.P_MAX_ATTRIBUTE_SIZE, limits.maxAttributeChars());
        factory.setProperty(WstxInputProperties.P_MAX_ENTITY_COUNT, 1L);
        factory.setProperty(WstxInputProperties.P_ALLOW_XML11_ESCAPED_CHARS_IN_XML10, true);
        return factory;
    }

    static OptionalLong line(Location location) {
        return location == null || location.getLineNumber() < 1 ? OptionalLong.empty() : OptionalLong.of(location.getLineNumber());
    }

    private static String reason(XMLStreamException e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        // Woodstox prefixes its own position ("ParseError at [row,col]:[3,7]\nMessage: …"); the line is reported apart.
        int at = message.indexOf("Message: ");
        message = at >= 0 ? message.substring(at + "Message: ".length()) : message;
        int newline = message.indexOf('\n');
        message = newline >= 0 ? message.substring(0, newline) : message;
        return message.strip();
    }
}
