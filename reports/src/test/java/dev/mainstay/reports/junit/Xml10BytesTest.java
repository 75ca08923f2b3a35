package dev.mainstay.reports.junit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Forbidden control bytes become U+FFFD however the bytes are read: in any chunks, at a buffer's end, one by one. */
class Xml10BytesTest {

    private static final byte[] FFFD = "\uFFFD".getBytes(StandardCharsets.UTF_8);

    /** What the filter must make of {@code in}: each byte XML 1.0 forbids as U+FFFD's three bytes, the rest as it is. */
    private static byte[] expected(byte[] in) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte b : in) {
            if (b >= 0 && b < 0x20 && b != '\t' && b != '\n' && b != '\r') {
                out.writeBytes(FFFD);
            } else {
                out.write(b);
            }
        }
        return out.toByteArray();
    }

    /** Everything read through the filter, asking for {@code sizes[i % sizes.length]} bytes each time, at an offset. */
    private static byte[] readAll(InputStream source, int... sizes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Xml10Bytes in = new Xml10Bytes(source)) {
            byte[] buffer = new byte[3 + 8192];
            for (int i = 0; ; i++) {
                int size = sizes[i % sizes.length];
                int n = in.read(buffer, 3, size);
                if (n < 0) {
                    return out.toByteArray();
                }
                out.write(buffer, 3, n);
            }
        }
    }

    /** A stream that hands out at most {@code most} bytes per read, as a network stream may. */
    private static InputStream trickling(byte[] bytes, int most) {
        return new ByteArrayInputStream(bytes) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, most));
            }
        };
    }

    @Test
    void a_forbidden_byte_at_the_end_of_a_full_read_carries_its_replacement_into_the_next_reads() throws IOException {
        byte[] in = "abc\u0001".getBytes(StandardCharsets.US_ASCII);

        assertArrayEquals(expected(in), readAll(new ByteArrayInputStream(in), 4));
        assertArrayEquals("abc\uFFFD".getBytes(StandardCharsets.UTF_8), readAll(new ByteArrayInputStream(in), 4, 1, 1, 1, 4));
    }

    @Test
    void reads_of_one_and_two_bytes_hand_out_a_replacement_in_pieces() throws IOException {
        byte[] in = "\u001B[31mred\u0000".getBytes(StandardCharsets.UTF_8);

        assertArrayEquals(expected(in), readAll(new ByteArrayInputStream(in), 1));
        assertArrayEquals(expected(in), readAll(new ByteArrayInputStream(in), 2));
        assertArrayEquals(expected(in), readAll(new ByteArrayInputStream(in), 2, 1, 5));
    }

    @Test
    void a_read_of_nothing_but_forbidden_bytes_grows_threefold_across_reads() throws IOException {
        byte[] in = new byte[10_000];
        Random random = new Random(7);
        for (int i = 0; i < in.length; i++) {
            in[i] = (byte) random.nextInt(0x20);
        }

        assertArrayEquals(expected(in), readAll(new ByteArrayInputStream(in), 4000));
        assertArrayEquals(expected(in), readAll(trickling(in, 7), 4000, 3, 1));
    }

    @Test
    void tab_line_feed_carriage_return_and_bytes_of_multibyte_characters_pass_through() throws IOException {
        byte[] in = "a\tb\r\nc é € 🎉 \u007F".getBytes(StandardCharsets.UTF_8);

        assertArrayEquals(in, readAll(new ByteArrayInputStream(in), 4000));
    }

    @Test
    void any_bytes_read_in_any_chunks_come_out_as_the_byte_by_byte_rule_says() throws IOException {
        Random random = new Random(20261123);
        for (int round = 0; round < 300; round++) {
            byte[] in = new byte[random.nextInt(3000)];
            for (int i = 0; i < in.length; i++) {
                in[i] = (byte) (random.nextInt(4) == 0 ? random.nextInt(0x20) : random.nextInt(256));
            }
            int[] sizes = random.ints(1 + random.nextInt(4), 1, 5000).toArray();
            InputStream source = random.nextBoolean() ? new ByteArrayInputStream(in) : trickling(in, 1 + random.nextInt(50));

            assertArrayEquals(expected(in), readAll(source, sizes), "round " + round);
        }
    }

    @Test
    void one_byte_reads_and_skips_count_replaced_bytes() throws IOException {
        byte[] in = "x\u0002yz".getBytes(StandardCharsets.US_ASCII);
        try (Xml10Bytes filter = new Xml10Bytes(new ByteArrayInputStream(in))) {
            assertEquals('x', filter.read());
            assertEquals(0xEF, filter.read());
            assertEquals(3, filter.skip(3), "the rest of U+FFFD, then y");
            assertEquals('z', filter.read());
            assertEquals(-1, filter.read());
            assertEquals(0, filter.skip(5));
        }
    }

    @Test
    void a_utf16_report_passes_through_untouched() throws IOException {
        byte[] big = "\uFEFF<a>\u0001</a>".getBytes(StandardCharsets.UTF_16BE);
        byte[] little = "\uFEFF<a>\u0001</a>".getBytes(StandardCharsets.UTF_16LE);

        assertArrayEquals(big, readAll(new ByteArrayInputStream(big), 5));
        assertArrayEquals(little, readAll(new ByteArrayInputStream(little), 5));
    }

    @Test
    void the_eight_byte_test_agrees_with_the_byte_rule_on_every_byte_in_every_place() {
        for (int value = 0; value < 256; value++) {
            boolean forbidden = value < 0x20 && value != '\t' && value != '\n' && value != '\r';
            for (int place = 0; place < 8; place++) {
                for (long filler : new long[] {'a', 0x20, 0x7F, 0x80, 0xFF, '\n'}) {
                    long word = 0;
                    for (int i = 0; i < 8; i++) {
                        word |= (i == place ? value : filler) << (8 * i);
                    }
                    assertEquals(forbidden, Xml10Bytes.anyForbidden(word), "byte " + value + " at " + place + " among " + filler);
                }
            }
        }
    }

    @Test
    void the_first_forbidden_byte_is_found_wherever_it_is_in_a_range() {
        for (int length = 0; length < 40; length++) {
            for (int at = -1; at < length; at++) {
                byte[] bytes = new byte[length + 4];
                Arrays.fill(bytes, (byte) 'x');
                if (at >= 0) {
                    bytes[2 + at] = 0x1B;
                }
                bytes[0] = 0;
                bytes[length + 3] = 0;
                assertEquals(at < 0 ? -1 : 2 + at, Xml10Bytes.firstForbidden(bytes, 2, 2 + length), "at " + at + " of " + length);
            }
        }
    }
}
