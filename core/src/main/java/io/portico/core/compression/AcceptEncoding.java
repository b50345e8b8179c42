package io.portico.core.compression;

import java.util.Locale;

/** Reads an {@code Accept-Encoding} header, with its q-values, for the codings Portico produces. */
public final class AcceptEncoding {

    private AcceptEncoding() {
    }

    /**
     * How much {@code header} wants {@code coding}: its q-value when named, else that of
     * {@code *}, else 0. A missing header accepts nothing but identity.
     */
    public static double quality(String header, String coding) {
        if (header == null) {
            return 0;
        }
        double named = -1;
        double any = -1;
        for (String element : header.split(",")) {
            int semi = element.indexOf(';');
            String name = (semi < 0 ? element : element.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
            double q = semi < 0 ? 1 : quality(element.substring(semi + 1));
            if (name.equals(coding)) {
                named = Math.max(named, q);
            } else if (name.equals("*")) {
                any = Math.max(any, q);
            }
        }
        return named >= 0 ? named : Math.max(any, 0);
    }

    /** The q parameter of {@code params} ({@code q=0.5}); 1 without one, 0 when unreadable. */
    private static double quality(String params) {
        for (String param : params.split(";")) {
            String p = param.trim();
            if (p.length() > 2 && (p.charAt(0) == 'q' || p.charAt(0) == 'Q') && p.charAt(1) == '=') {
                try {
                    double q = Double.parseDouble(p.substring(2).trim());
                    return q >= 0 && q <= 1 ? q : 0;
                } catch (NumberFormatException e) {
                    return 0;
                }
            }
        }
        return 1;
    }
}
