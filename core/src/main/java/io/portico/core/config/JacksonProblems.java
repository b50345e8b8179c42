package io.portico.core.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.InvalidNullException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Path;
import com.fasterxml.jackson.databind.JsonMappingException.Reference;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Turns Jackson's failures into {@link ConfigException}s a user can act on: the key path and a short
 * problem, with no Jackson class names.
 */
final class JacksonProblems {

    private JacksonProblems() {
    }

    /**
     * @param e what Jackson threw
     * @param file the file being read
     * @param basePath the key path of the node being bound, empty for the whole file
     */
    static ConfigException toConfigException(JsonProcessingException e, Path file, String basePath) {
        MarkedYAMLException syntax = causeOfType(e, MarkedYAMLException.class);
        if (syntax != null) {
            // The line and column say where; a key path would only be a guess.
            return new ConfigException(file, "", syntaxProblem(syntax));
        }
        if (e instanceof JsonMappingException m) {
            List<Reference> path = m.getPath();
            if (m instanceof UnrecognizedPropertyException u) {
                // The path ends with the unknown key itself; report it at the map that holds it.
                List<Reference> holder = path.isEmpty() ? path : path.subList(0, path.size() - 1);
                return new ConfigException(file, KeyPaths.join(basePath, KeyPaths.of(holder)), unknownKey(u));
            }
            String problem = m.getCause() instanceof JsonProcessingException cause && !(cause instanceof JsonMappingException)
                    ? streamProblem(cause)
                    : mappingProblem(m);
            return new ConfigException(file, KeyPaths.join(basePath, KeyPaths.of(path)), problem);
        }
        String path = e.getProcessor() instanceof JsonParser p ? KeyPaths.of(p.getParsingContext()) : "";
        return new ConfigException(file, KeyPaths.join(basePath, path), streamProblem(e));
    }

    private static String unknownKey(UnrecognizedPropertyException e) {
        Collection<Object> known = e.getKnownPropertyIds();
        if (known == null || known.isEmpty()) {
            return "unknown key '" + e.getPropertyName() + "'; no settings are expected here";
        }
        String names = known.stream().map(String::valueOf).sorted().collect(Collectors.joining(", "));
        return "unknown key '" + e.getPropertyName() + "'; expected one of: " + names;
    }

    private static String mappingProblem(JsonMappingException e) {
        return switch (e) {
            case ConfigProblem p -> p.getOriginalMessage();
            case ValueInstantiationException v -> v.getCause() != null && v.getCause().getMessage() != null
                    ? v.getCause().getMessage()
                    : "invalid value";
            case InvalidNullException n -> "expected a value, got nothing";
            case InvalidFormatException f -> "expected " + expectedFor(f.getTargetType(), f.getValue()) + ", got " + describe(f.getValue());
            case MismatchedInputException mi -> "expected " + expectedFor(mi.getTargetType(), null) + ", got " + currentToken(e);
            default -> e.getOriginalMessage();
        };
    }

    private static String streamProblem(JsonProcessingException e) {
        if (e instanceof InputCoercionException c) {
            return "expected " + numberRange(c.getTargetType()) + ", got " + currentToken(e);
        }
        String message = e.getOriginalMessage();
        if (message != null && message.startsWith("Duplicate field '")) {
            return "duplicate key '" + message.substring("Duplicate field '".length());
        }
        JsonLocation at = e.getLocation();
        return at == null ? message : "line " + at.getLineNr() + ", column " + at.getColumnNr() + ": " + message;
    }

    private static String numberRange(Class<?> type) {
        if (type == Integer.class || type == int.class) {
            return "a number from " + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE;
        }
        if (type == Long.class || type == long.class) {
            return "a number from " + Long.MIN_VALUE + " to " + Long.MAX_VALUE;
        }
        return "a smaller number";
    }

    private static <T extends Throwable> T causeOfType(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    private static String syntaxProblem(MarkedYAMLException e) {
        String problem = e.getProblem();
        if (e.getContext() != null) {
            problem = e.getContext() + ": " + problem;
        }
        if (e.getProblemMark() == null) {
            return problem;
        }
        return "line " + (e.getProblemMark().getLine() + 1) + ", column " + (e.getProblemMark().getColumn() + 1) + ": " + problem;
    }

    /** What a value of {@code type} is called in a message; {@code given} refines it when known. */
    private static String expectedFor(Class<?> type, Object given) {
        if (type == null) {
            return "a value";
        }
        if (isWholeNumber(type)) {
            return given instanceof Number ? "a whole number" : "a number";
        }
        if (Number.class.isAssignableFrom(type) || type == double.class || type == float.class) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (CharSequence.class.isAssignableFrom(type) || type == char.class || type == Character.class) {
            return "a string";
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "a list";
        }
        if (Map.class.isAssignableFrom(type) || type.isRecord()) {
            return "a map";
        }
        return "a value";
    }

    private static boolean isWholeNumber(Class<?> type) {
        return type == Integer.class || type == int.class || type == Long.class || type == long.class
                || type == Short.class || type == short.class || type == Byte.class || type == byte.class
                || type == BigInteger.class;
    }

    private static String describe(Object value) {
        return value instanceof String s ? "'" + s + "'" : String.valueOf(value);
    }

    private static String currentToken(JsonProcessingException e) {
        if (e.getProcessor() instanceof JsonParser p) {
            try {
                return ConfigDeserializers.describeToken(p);
            } catch (IOException ignored) {
                // The token's text was already read; this cannot fail in practice.
            }
        }
        return "something else";
    }
}
