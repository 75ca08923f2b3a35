package dev.mainstay.flaky.history;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;

/** JSON Lines as history and labels files use them: numbered from 1, blank lines skipped, each line bounded. */
final class JsonLines {

    /** Longer lines are refused: a line is one record, never a document. */
    static final int MAX_LINE_CHARS = 64 * 1024;

    /** What is done with one line. */
    interface LineHandler {
        void line(String text, long number) throws IOException, HistoryException;
    }

    private JsonLines() {
    }

    static void forEach(Reader in, LineHandler handler) throws IOException, HistoryException {
        BufferedReader lines = in instanceof BufferedReader b ? b : new BufferedReader(in, 1 << 16);
        long number = 0;
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            number++;
            if (line.isBlank()) {
                continue;
            }
            if (line.length() > MAX_LINE_CHARS) {
                throw new HistoryException(number, "longer than " + MAX_LINE_CHARS + " characters");
            }
            handler.line(line, number);
        }
    }
}
