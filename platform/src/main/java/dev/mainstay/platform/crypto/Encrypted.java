package dev.mainstay.platform.crypto;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares that a persistent {@code byte[]} attribute of an {@link EncryptedRow} entity holds a
 * {@link FieldCipher} ciphertext ({@code BYTEA} column), bound to its table, column, row and org.
 * {@link EncryptedColumns} seals and opens it; the data-inventory check reads this annotation to
 * know that a column classified confidential is encrypted.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
public @interface Encrypted {

    /** Which of the org's data keys encrypts the attribute, e.g. {@code identity}. */
    String purpose();
}
