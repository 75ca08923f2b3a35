package dev.mainstay.bench;

import dev.mainstay.platform.crypto.FieldCipher;
import dev.mainstay.platform.crypto.FieldContext;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link FieldCipher} against raw JCA AES-256-GCM on the same provider (SunJCE, AES-NI), at 64 B,
 * 1 KiB and 16 KiB: the goal is FieldCipher at >= 0.9 of raw throughput at every size. "Raw" is
 * the same cryptography written by hand: a cached {@code Cipher}, a fresh 96-bit nonce from the
 * provider, additional data of the same length as FieldCipher's (computed once), output into a
 * new array with the nonce in front. What the ratio measures is FieldCipher's own work: the
 * cached key lookup, the header, and assembling the AAD from the row's context on every call.
 *
 * <p>A {@link FieldContext} encodes its part of the AAD once, when it is made, as the raw side's
 * AAD is made once; {@link #fieldContext} measures that cost on its own (a context per row on
 * bulk paths), so it is reported rather than hidden.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class FieldCipherBenchmark {

    @Param({"64", "1024", "16384"})
    public int size;

    private BenchDatabase db;
    private FieldCipher fieldCipher;
    private FieldContext context;
    private byte[] plaintext;
    private byte[] fieldCiphertext;

    private Cipher raw;
    private SecretKey rawKey;
    private SecureRandom random;
    private byte[] rawAad;
    private byte[] rawCiphertext;
    private byte[] rawNonce;

    @Setup(Level.Trial)
    public void setUp() throws GeneralSecurityException {
        db = new BenchDatabase();
        fieldCipher = db.fieldCipher();
        context = new FieldContext("acme", "executions", "ingest_execution", "stack_trace", "0d9e3c5a-51c4-4a8b-9a61-3f0e6f3a7b21");
        plaintext = new byte[size];
        new SecureRandom().nextBytes(plaintext);
        fieldCiphertext = fieldCipher.encrypt(context, plaintext);

        raw = Cipher.getInstance("AES/GCM/NoPadding");
        KeyGenerator generator = KeyGenerator.getInstance("AES");
        generator.init(256);
        rawKey = generator.generateKey();
        random = new SecureRandom();
        // label, 17-byte header, then org, purpose, table, column and row id each with a 4-byte length
        int aadLength = "mainstay-field".length() + 17;
        for (String part : new String[] {context.org(), context.purpose(), context.table(), context.column(), context.rowId()}) {
            aadLength += 4 + part.getBytes(StandardCharsets.UTF_8).length;
        }
        rawAad = new byte[aadLength];
        new SecureRandom().nextBytes(rawAad);
        raw.init(Cipher.ENCRYPT_MODE, rawKey, random);
        rawNonce = raw.getIV();
        raw.updateAAD(rawAad);
        rawCiphertext = raw.doFinal(plaintext);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        db.close();
    }

    @Benchmark
    public FieldContext fieldContext() {
        return new FieldContext(context.org(), context.purpose(), context.table(), context.column(), context.rowId());
    }

    @Benchmark
    public byte[] fieldCipherEncrypt() {
        return fieldCipher.encrypt(context, plaintext);
    }

    @Benchmark
    public byte[] rawJcaEncrypt() throws GeneralSecurityException {
        raw.init(Cipher.ENCRYPT_MODE, rawKey, random);
        byte[] nonce = raw.getIV();
        raw.updateAAD(rawAad);
        byte[] out = new byte[nonce.length + raw.getOutputSize(plaintext.length)];
        System.arraycopy(nonce, 0, out, 0, nonce.length);
        raw.doFinal(plaintext, 0, plaintext.length, out, nonce.length);
        return out;
    }

    @Benchmark
    public byte[] fieldCipherDecrypt() {
        return fieldCipher.decrypt(context, fieldCiphertext);
    }

    @Benchmark
    public byte[] rawJcaDecrypt() throws GeneralSecurityException {
        raw.init(Cipher.DECRYPT_MODE, rawKey, new GCMParameterSpec(128, rawNonce));
        raw.updateAAD(rawAad);
        return raw.doFinal(rawCiphertext);
    }
}
