package dev.mainstay.platform.compliance;

import java.util.stream.Collectors;

/**
 * SECURITY.md's "What we store" section, rendered from the {@link DataInventory}: per data class
 * its purpose, protection in transit and retention, then a table of its fields. The section sits
 * between {@link #BEGIN} and {@link #END} in SECURITY.md; a test fails when it differs from this
 * rendering.
 */
public final class InventoryTable {

    /** Opens the generated section. */
    public static final String BEGIN = "<!-- BEGIN data-inventory: generated from policies/data-inventory.yaml; edit that file -->";
    /** Closes the generated section. */
    public static final String END = "<!-- END data-inventory -->";

    private InventoryTable() {
    }

    /** The section's Markdown, without the markers. */
    public static String markdown(DataInventory inventory) {
        StringBuilder out = new StringBuilder();
        for (DataInventory.DataClass c : inventory.dataClasses()) {
            out.append("##### ").append(c.name()).append("\n\n");
            out.append("- Purpose: ").append(c.purpose()).append('\n');
            out.append("- In transit: ").append(c.inTransit()).append('\n');
            out.append("- Retention (").append(c.retention()).append("): ").append(inventory.retentionClasses().get(c.retention()))
                .append("\n\n");
            out.append("| Stored in | What it is | Confidential | At rest |\n");
            out.append("| --- | --- | --- | --- |\n");
            for (DataInventory.Field f : c.fields()) {
                out.append("| ").append(f.columns().stream().map(column -> "`" + column + "`").collect(Collectors.joining("<br>")))
                    .append(" | ").append(cell(f.what()))
                    .append(" | ").append(f.confidential() ? "yes" : "no")
                    .append(" | ").append(f.atRest().label())
                    .append(" |\n");
            }
            out.append('\n');
        }
        return out.toString();
    }

    /**
     * {@code document} with its generated section replaced by {@code section}.
     *
     * @throws IllegalArgumentException if the document lacks the markers
     */
    public static String replaceSection(String document, String section) {
        int begin = document.indexOf(BEGIN);
        int end = document.indexOf(END);
        if (begin < 0 || end < begin) {
            throw new IllegalArgumentException("the document has no " + BEGIN + " ... " + END + " section");
        }
        return document.substring(0, begin + BEGIN.length()) + "\n\n" + section + document.substring(end);
    }

    private static String cell(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }
}
