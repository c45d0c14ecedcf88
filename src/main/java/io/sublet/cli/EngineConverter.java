package io.sublet.cli;

import io.sublet.machine.EngineKind;
import picocli.CommandLine;

/** {@code --engine interp|jit}. */
public final class EngineConverter implements CommandLine.ITypeConverter<EngineKind> {
    @Override
    public EngineKind convert(String value) {
        try {
            return EngineKind.parse(value);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }
}
