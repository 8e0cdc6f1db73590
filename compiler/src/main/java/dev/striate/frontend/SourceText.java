package dev.striate.frontend;

import dev.striate.diag.CompileException;
import dev.striate.diag.Diagnostic;
import dev.striate.diag.ErrorCode;
import dev.striate.diag.SourcePos;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Turns the bytes of a {@code .cnn} file into text: strict UTF-8, refusing malformed bytes
 * (including encoded surrogates) with {@link ErrorCode#ENCODING} at the first bad byte, given
 * as a byte offset and a line and column. A leading byte order mark is dropped here and by
 * {@link Frontend#parse}, so columns count from the first character after it.
 */
public final class SourceText {
    /** The byte order mark some editors put at the start of UTF-8 files. */
    static final char BOM = '\uFEFF';

    private SourceText() {
    }

    /**
     * Decodes {@code bytes} as UTF-8.
     *
     * @param fileName the name printed in diagnostics
     * @throws CompileException if the bytes are not valid UTF-8
     */
    public static String decode(byte[] bytes, String fileName) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = decoder.decode(in, out, true);
        if (result.isUnderflow()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            int offset = in.position();
            out.flip();
            SourcePos pos = positionAfter(out, fileName);
            StringBuilder bad = new StringBuilder();
            for (int i = 0; i < result.length() && offset + i < bytes.length; i++) {
                bad.append(i == 0 ? "" : " ").append(String.format(Locale.ROOT, "0x%02X", bytes[offset + i] & 0xFF));
            }
            throw new CompileException(Diagnostic.error(ErrorCode.ENCODING, pos, "the file is not valid UTF-8: byte"
                    + (result.length() == 1 ? " " : "s ") + bad + " at byte offset " + offset
                    + " cannot be decoded; save the file as UTF-8"));
        }
        out.flip();
        return stripBom(out.toString());
    }

    /** The text without a leading byte order mark. */
    static String stripBom(String text) {
        return !text.isEmpty() && text.charAt(0) == BOM ? text.substring(1) : text;
    }

    /**
     * The 1-based line and column of the character after {@code text}, counting columns in
     * code points as the lexer does (and not counting a leading byte order mark).
     */
    private static SourcePos positionAfter(CharSequence text, String fileName) {
        int line = 1;
        int column = 1;
        int start = text.length() > 0 && text.charAt(0) == BOM ? 1 : 0;
        for (int i = start; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n') {
                line++;
                column = 1;
            } else if (!Character.isLowSurrogate(c)) {
                column++;
            }
        }
        return new SourcePos(fileName, line, column);
    }
}
