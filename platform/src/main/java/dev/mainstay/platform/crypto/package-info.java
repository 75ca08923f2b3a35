/**
 * Field encryption. {@link dev.mainstay.platform.crypto.FieldCipher} seals a confidential value
 * with AES-256-GCM under a data key of its org and purpose, binding it to the table, column, row
 * and org it belongs to. Data keys live in the database wrapped (AES-KWP) by a key-encryption key
 * that never does: a raw key file, a PKCS#12 or BCFKS keystore, or an HSM through PKCS#11.
 * {@link dev.mainstay.platform.crypto.CryptoProviders} decides which JCA provider does the work:
 * the JDK's (AES-NI) by default, BouncyCastle FIPS in approved-only mode when configured.
 */
package dev.mainstay.platform.crypto;
