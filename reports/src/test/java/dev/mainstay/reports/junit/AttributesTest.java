package dev.mainstay.reports.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mainstay.reports.ParseLimits;
import java.io.StringReader;
import java.util.List;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.junit.jupiter.api.Test;

/** One pass over an element's attributes finds what a search by name for each would find. */
class AttributesTest {

    private static XMLStreamReader at(String element) throws XMLStreamException {
        XMLStreamReader xml = JunitXmlParser.inputFactory(ParseLimits.DEFAULT).createXMLStreamReader(new StringReader(element));
        while (xml.next() != XMLStreamConstants.START_ELEMENT) {
            // The document's start.
        }
        return xml;
    }

    /** What a search by name finds for each attribute the parser reads, stripped and empty when missing. */
    private static List<String> searched(XMLStreamReader xml) {
        return List.of("name", "classname", "class", "file", "time", "timestamp", "message").stream()
            .map(name -> xml.getAttributeValue(null, name)).map(value -> value == null ? "" : value.strip()).toList();
    }

    private static List<String> read(XMLStreamReader xml) {
        Attributes a = new Attributes().read(xml);
        return List.of(a.name(), a.classname(), a.className(), a.file(), a.time(), a.timestamp(), a.message());
    }

    @Test
    void every_attribute_read_is_found_stripped_and_the_missing_are_empty() throws XMLStreamException {
        XMLStreamReader xml = at("<testcase name=' t ' classname='a.B' class='C' file='f.py' time='0.5' timestamp='2024-01-01T00:00:00'"
            + " message=' m ' type='x'/>");

        assertEquals(List.of("t", "a.B", "C", "f.py", "0.5", "2024-01-01T00:00:00", "m"), read(xml));
        assertEquals(List.of("", "", "", "", "", "", ""), read(at("<testcase/>")));
    }

    @Test
    void a_name_matches_in_any_namespace_and_the_first_in_the_element_wins_as_a_search_by_name_finds() throws XMLStreamException {
        for (String element : List.of("<testcase xmlns:a='urn:a' a:name='prefixed' name='plain' a:time='1'/>",
            "<testcase xmlns:a='urn:a' name='plain' a:name='prefixed'/>", "<testcase xmlns:a='urn:a' a:classname='only'/>")) {
            XMLStreamReader xml = at(element);

            assertEquals(searched(xml), read(xml), element);
        }
        assertEquals("prefixed", new Attributes().read(at("<testcase xmlns:a='urn:a' a:name='prefixed' name='plain'/>")).name());
    }

    @Test
    void reading_the_next_element_forgets_the_last_ones_attributes() throws XMLStreamException {
        Attributes attributes = new Attributes();
        attributes.read(at("<testcase name='t' time='1'/>"));

        assertEquals("", attributes.read(at("<failure message='boom'/>")).name());
        assertEquals("boom", attributes.message());
    }
}
