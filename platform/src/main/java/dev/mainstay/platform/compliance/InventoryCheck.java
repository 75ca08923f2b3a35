package dev.mainstay.platform.compliance;

import dev.mainstay.platform.crypto.Encrypted;
import jakarta.persistence.Column;
import jakarta.persistence.Table;
import jakarta.persistence.Transient;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Holds the database to the {@link DataInventory}: every column of the schema must be listed,
 * every listed column must exist, and every field the inventory says is encrypted must be stored
 * encrypted — declared {@link Encrypted} on its entity when an entity maps it, else at least a
 * {@code bytea} column that a bulk path fills through FieldCipher. An entity attribute declared
 * {@link Encrypted} must be listed as encrypted too. The platform runs this at every start,
 * after the migrations, and refuses to start on any finding.
 */
public final class InventoryCheck {

    private static final String PERSISTENCE_XML = "META-INF/persistence.xml";

    /**
     * A column an entity maps.
     *
     * @param column    {@code table.column}
     * @param attribute {@code Entity.attribute}
     * @param encrypted whether the attribute is declared {@link Encrypted}
     */
    public record MappedColumn(String column, String attribute, boolean encrypted) {
    }

    private InventoryCheck() {
    }

    /**
     * What disagrees between the inventory, the schema and the mapping; empty when they agree.
     *
     * @param schema column ({@code table.column}) to its PostgreSQL data type
     */
    public static List<String> problems(DataInventory inventory, Map<String, String> schema, List<MappedColumn> mapping) {
        Map<String, DataInventory.Field> listed = inventory.byColumn();
        Map<String, MappedColumn> mapped = new LinkedHashMap<>();
        mapping.forEach(m -> mapped.put(m.column(), m));
        List<String> problems = new ArrayList<>();
        for (String column : schema.keySet()) {
            if (!listed.containsKey(column)) {
                problems.add(column + " exists in the database but " + inventory.file()
                    + " does not list it; add it with what it holds and how it is protected");
            }
        }
        for (var entry : listed.entrySet()) {
            String column = entry.getKey();
            DataInventory.Field field = entry.getValue();
            String type = schema.get(column);
            if (type == null) {
                problems.add(field.where() + ": lists " + column + ", which the database does not have");
                continue;
            }
            MappedColumn attribute = mapped.get(column);
            boolean sealed = field.atRest() == DataInventory.AtRest.ENCRYPTED;
            if (attribute != null && attribute.encrypted() && !sealed) {
                problems.add(field.where() + ": " + column + " is listed as " + field.atRest().word() + " but "
                    + attribute.attribute() + " is declared @Encrypted; list it as encrypted");
            } else if (attribute != null && sealed && !attribute.encrypted()) {
                problems.add(field.where() + ": " + column + " is listed as encrypted but " + attribute.attribute()
                    + " is not declared @Encrypted, so it would be stored in plaintext");
            } else if (field.atRest().bytes() && !"bytea".equals(type)) {
                problems.add(field.where() + ": " + column + " is listed as " + field.atRest().word()
                    + " but its column holds " + type + ", not bytes (bytea)");
            }
        }
        for (MappedColumn m : mapping) {
            if (!schema.containsKey(m.column())) {
                problems.add(m.attribute() + " maps " + m.column() + ", which the database does not have");
            }
        }
        return problems;
    }

    /** Every column of the connection's current schema, {@code table.column} to data type; partitions are not tables of their own. */
    public static Map<String, String> schema(Connection connection) throws SQLException {
        Map<String, String> columns = new TreeMap<>();
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT c.table_name, c.column_name, c.data_type"
                 + " FROM information_schema.columns c JOIN information_schema.tables t"
                 + " ON t.table_schema = c.table_schema AND t.table_name = c.table_name"
                 + " WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'"
                 // A partition's columns are its table's, listed once under the partitioned table.
                 + " AND NOT EXISTS (SELECT 1 FROM pg_class k JOIN pg_namespace n ON n.oid = k.relnamespace"
                 + " WHERE n.nspname = c.table_schema AND k.relname = c.table_name AND k.relispartition)")) {
            while (rows.next()) {
                columns.put(rows.getString(1) + "." + rows.getString(2), rows.getString(3));
            }
        }
        return columns;
    }

    /** The columns mapped by the entities of this build's persistence unit. */
    public static List<MappedColumn> mapping() {
        List<MappedColumn> columns = new ArrayList<>();
        for (Class<?> entity : persistenceUnitClasses()) {
            columns.addAll(mapping(entity));
        }
        return columns;
    }

    /**
     * The columns {@code entity} maps: its persistent fields (not static, not transient), each
     * in the column {@link Column} names or else the field's own name, as Hibernate maps them.
     */
    public static List<MappedColumn> mapping(Class<?> entity) {
        Table table = entity.getAnnotation(Table.class);
        String tableName = table == null || table.name().isEmpty() ? entity.getSimpleName() : table.name();
        List<MappedColumn> columns = new ArrayList<>();
        for (Field field : entity.getDeclaredFields()) {
            int modifiers = field.getModifiers();
            if (Modifier.isStatic(modifiers) || Modifier.isTransient(modifiers) || field.isAnnotationPresent(Transient.class)) {
                continue;
            }
            Column column = field.getAnnotation(Column.class);
            String name = column == null || column.name().isEmpty() ? field.getName() : column.name();
            columns.add(new MappedColumn(tableName + "." + name, entity.getSimpleName() + "." + field.getName(),
                field.isAnnotationPresent(Encrypted.class)));
        }
        return columns;
    }

    /** The entity classes {@code META-INF/persistence.xml} lists. */
    static List<Class<?>> persistenceUnitClasses() {
        List<Class<?>> classes = new ArrayList<>();
        ClassLoader loader = InventoryCheck.class.getClassLoader();
        try (InputStream in = loader.getResourceAsStream(PERSISTENCE_XML)) {
            if (in == null) {
                throw new IllegalStateException(PERSISTENCE_XML + " is missing from this Mainstay build");
            }
            XMLInputFactory factory = XMLInputFactory.newFactory();
            factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
            factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
            XMLStreamReader xml = factory.createXMLStreamReader(in);
            try {
                while (xml.hasNext()) {
                    if (xml.next() == XMLStreamReader.START_ELEMENT && "class".equals(xml.getLocalName())) {
                        classes.add(Class.forName(xml.getElementText().strip(), false, loader));
                    }
                }
            } finally {
                xml.close();
            }
        } catch (IOException | XMLStreamException | ClassNotFoundException e) {
            throw new IllegalStateException(PERSISTENCE_XML + " cannot be read: " + e.getMessage(), e);
        }
        return classes;
    }
}
