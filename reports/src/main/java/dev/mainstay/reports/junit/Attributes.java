package dev.mainstay.reports.junit;

import javax.xml.stream.XMLStreamReader;

/**
 * The attributes the parser reads of an element, found in one pass over its attributes rather
 * than one search per name. As {@code getAttributeValue(null, name)} would, a name matches in
 * any namespace and the first match in the element wins; values are stripped, and a missing one
 * is empty. One instance is reused for each element in turn.
 */
final class Attributes {

    private String name;
    private String classname;
    private String className;
    private String file;
    private String time;
    private String timestamp;
    private String message;

    /** Reads the attributes of the start element {@code xml} is at, forgetting the last element's. */
    Attributes read(XMLStreamReader xml) {
        name = null;
        classname = null;
        className = null;
        file = null;
        time = null;
        timestamp = null;
        message = null;
        for (int i = 0, count = xml.getAttributeCount(); i < count; i++) {
            switch (xml.getAttributeLocalName(i)) {
                case "name" -> name = name != null ? name : xml.getAttributeValue(i);
                case "classname" -> classname = classname != null ? classname : xml.getAttributeValue(i);
                case "class" -> className = className != null ? className : xml.getAttributeValue(i);
                case "file" -> file = file != null ? file : xml.getAttributeValue(i);
                case "time" -> time = time != null ? time : xml.getAttributeValue(i);
                case "timestamp" -> timestamp = timestamp != null ? timestamp : xml.getAttributeValue(i);
                case "message" -> message = message != null ? message : xml.getAttributeValue(i);
                default -> {
                    // Not one the parser reads (tests, errors, hostname, type…).
                }
            }
        }
        return this;
    }

    String name() {
        return stripped(name);
    }

    String classname() {
        return stripped(classname);
    }

    /** {@code class}, which some writers use instead of {@code classname}. */
    String className() {
        return stripped(className);
    }

    String file() {
        return stripped(file);
    }

    String time() {
        return stripped(time);
    }

    String timestamp() {
        return stripped(timestamp);
    }

    String message() {
        return stripped(message);
    }

    private static String stripped(String value) {
        return value == null ? "" : value.strip();
    }
}
