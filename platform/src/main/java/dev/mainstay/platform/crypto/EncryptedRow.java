package dev.mainstay.platform.crypto;

/** An entity with {@link Encrypted} attributes: it says whose keys encrypt them and which row they belong to. */
public interface EncryptedRow {

    /** Org whose data keys encrypt this row; {@link FieldContext#APPLIANCE} for data that belongs to no org. */
    String keyOrg();

    /** The row's primary key as text, assigned before the first attribute is sealed. */
    String rowId();
}
