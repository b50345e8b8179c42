package io.portico.core.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonMappingException;
import java.io.Serial;

/**
 * A binding failure whose message is already written for the user. Thrown by Portico's
 * deserializers; Jackson adds the key path as it unwinds.
 */
final class ConfigProblem extends JsonMappingException {

    @Serial
    private static final long serialVersionUID = 1L;

    ConfigProblem(JsonParser parser, String problem) {
        super(parser, problem);
    }
}
